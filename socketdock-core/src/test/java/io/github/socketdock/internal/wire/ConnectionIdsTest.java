package io.github.socketdock.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Connection ids: 32 lower-case hex digits, distinct, checked by shape. */
class ConnectionIdsTest {

    @Test
    void idsAre32LowerCaseHexAndDistinct() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = ConnectionIds.next();
            assertThat(id).matches("[0-9a-f]{32}");
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
        assertThat(ConnectionIds.isWellFormed("0123456789abcdef0123456789abcdef")).isTrue();
        assertThat(ConnectionIds.isWellFormed("0123456789ABCDEF0123456789ABCDEF")).isFalse();
        assertThat(ConnectionIds.isWellFormed("0123")).isFalse();
        assertThat(ConnectionIds.isWellFormed(null)).isFalse();
    }
}
