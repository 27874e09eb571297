package io.github.socketdock.internal.relay;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connection limits of one SocketDock: connections admitted in all and from each client
 * address, exact under concurrent upgrades. An upgrade is admitted before the backend hears of it
 * (so a client over the limits costs the backend nothing) and its {@link Admission} is given back
 * once, by the connection that holds it, when the connection ends or never opens.
 */
final class Admissions {

    private final int maxTotal;
    private final int maxPerAddress;
    private int total;
    private final Map<InetAddress, Integer> fromAddress = new HashMap<>();

    /**
     * @param maxTotal      bound on connections in all; 0 for unlimited
     * @param maxPerAddress bound on connections from one address; 0 for unlimited
     */
    Admissions(int maxTotal, int maxPerAddress) {
        this.maxTotal = maxTotal == 0 ? Integer.MAX_VALUE : maxTotal;
        this.maxPerAddress = maxPerAddress == 0 ? Integer.MAX_VALUE : maxPerAddress;
    }

    /** One admitted connection; {@link #release()} gives it back, the first call only. */
    final class Admission {
        private final InetAddress address;
        private final AtomicBoolean released = new AtomicBoolean();

        private Admission(InetAddress address) {
            this.address = address;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                synchronized (Admissions.this) {
                    total--;
                    if (address != null) {
                        fromAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
                    }
                }
            }
        }
    }

    /**
     * @param address the client's address, or null if unknown (counted in the total only)
     * @return the admission
     * @throws UpgradeRefused with 503 over the total, 429 over the address's share
     */
    synchronized Admission admit(InetAddress address) throws UpgradeRefused {
        if (total >= maxTotal) {
            throw new UpgradeRefused(503, "connection limit of " + maxTotal + " reached");
        }
        int from = address == null ? 0 : fromAddress.getOrDefault(address, 0);
        if (from >= maxPerAddress) {
            throw new UpgradeRefused(429, "connection limit of " + maxPerAddress + " per address reached");
        }
        total++;
        if (address != null) {
            fromAddress.put(address, from + 1);
        }
        return new Admission(address);
    }
}
