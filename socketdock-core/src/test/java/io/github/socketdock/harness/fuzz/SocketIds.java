package io.github.socketdock.harness.fuzz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The connection ids the backend has seen, by role: the healthy sockets (by index), the storm
 * sockets and the victims (by the {@code x-fuzz-op} header of their upgrade); and the picking of
 * an id for a storm POST's {@link Target}.
 */
public final class SocketIds {

    private static final Pattern WELL_FORMED_ID = Pattern.compile("[0-9a-f]{32}");

    private final Map<Integer, String> healthyByIndex = new ConcurrentHashMap<>();
    private volatile Set<String> healthy = Set.of();
    /** Ids of storm sockets, from their connect POSTs. */
    private final List<String> storm = Collections.synchronizedList(new ArrayList<>());
    /** Ids of the storm sockets that live through the storm. */
    private final List<String> victims = Collections.synchronizedList(new ArrayList<>());
    /** Storm socket id by the {@code x-fuzz-op} header of its upgrade. */
    private final Map<String, String> byOp = new ConcurrentHashMap<>();

    /** Notes the socket of a connect whose upgrade carried {@code x-fuzz-op: op} ("v…" for a victim). */
    public void connected(String op, String id) {
        (op.startsWith("v") ? victims : storm).add(id);
        byOp.put(op, id);
    }

    /** Notes that healthy socket {@code index} has connection id {@code id}. */
    public void healthy(int index, String id) {
        healthyByIndex.put(index, id);
    }

    /** Fixes the set of healthy ids from those noted so far; @return it. */
    public Set<String> freezeHealthy() {
        healthy = Set.copyOf(healthyByIndex.values());
        return healthy;
    }

    /** @return the healthy ids, once frozen */
    public Set<String> healthy() {
        return healthy;
    }

    /** @return the id of healthy socket {@code index} */
    public String healthyId(int index) {
        return healthyByIndex.get(index);
    }

    /** @return how many victims have connected */
    public int victimCount() {
        return victims.size();
    }

    /** @return the id of the socket whose upgrade carried {@code x-fuzz-op: op}, or null */
    public String ofOp(String op) {
        return byOp.get(op);
    }

    /** @return an id for {@code target}; null for {@link Target#STORM} while no storm socket has connected */
    String pick(Target target, Random rnd) {
        switch (target) {
            case HEALTHY -> {
                List<String> ids = new ArrayList<>(healthy);
                Collections.sort(ids);
                return ids.get(rnd.nextInt(ids.size()));
            }
            case STORM -> {
                if (rnd.nextBoolean()) {
                    synchronized (victims) {
                        return victims.get(rnd.nextInt(victims.size()));
                    }
                }
                synchronized (storm) {
                    return storm.isEmpty() ? null : storm.get(rnd.nextInt(storm.size()));
                }
            }
            case UNKNOWN -> {
                String id = Bytes.hex(RandomData.bytes(rnd, 16));
                return healthy.contains(id) ? Bytes.hex(RandomData.bytes(rnd, 16)) : id;
            }
            default -> {
                String alphabet = "0123456789abcdefABCDEFghijklmnopqrstuvwxyz_-~";
                while (true) {
                    int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 40 : 3) + (rnd.nextBoolean() ? 30 : 0);
                    String id = RandomData.token(rnd, n, alphabet);
                    if (!WELL_FORMED_ID.matcher(id).matches()) {
                        return id;
                    }
                }
            }
        }
    }
}
