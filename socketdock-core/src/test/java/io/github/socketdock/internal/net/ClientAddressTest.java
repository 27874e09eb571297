package io.github.socketdock.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

/** Which address the forwarded headers name: the balancer's (last) entry, IP literals only. */
class ClientAddressTest {

    private static InetSocketAddress from(String... nameValue) {
        HttpFields.Mutable fields = HttpFields.build();
        for (int i = 0; i < nameValue.length; i += 2) {
            fields.add(nameValue[i], nameValue[i + 1]);
        }
        return ClientAddress.fromHeaders(fields);
    }

    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void theLastEntryOfTheLastXForwardedForWins() throws Exception {
        assertThat(from("X-Forwarded-For", "198.51.100.9")).isEqualTo(at("198.51.100.9", 0));
        assertThat(from("X-Forwarded-For", "6.6.6.6, 198.51.100.9")).isEqualTo(at("198.51.100.9", 0));
        assertThat(from("X-Forwarded-For", "6.6.6.6", "x-forwarded-for", "198.51.100.9 ,")).isEqualTo(at("198.51.100.9", 0));
        assertThat(from("X-Forwarded-For", "198.51.100.9:4711")).isEqualTo(at("198.51.100.9", 4711));
        assertThat(from("X-Forwarded-For", "2001:db8::9")).isEqualTo(at("2001:db8::9", 0));
        assertThat(from("X-Forwarded-For", "[2001:db8::9]:4711")).isEqualTo(at("2001:db8::9", 4711));
    }

    @Test
    void xForwardedForIsReadBeforeForwarded() throws Exception {
        assertThat(from("Forwarded", "for=203.0.113.1", "X-Forwarded-For", "198.51.100.9")).isEqualTo(at("198.51.100.9", 0));
    }

    @Test
    void theLastForOfTheLastForwardedElementWins() throws Exception {
        assertThat(from("Forwarded", "for=6.6.6.6;proto=https, for=\"[2001:db8::9]:4711\";by=10.0.0.1"))
                .isEqualTo(at("2001:db8::9", 4711));
        assertThat(from("Forwarded", "for=\"6.6.6.6, 7.7.7.7\", For=198.51.100.9")).isEqualTo(at("198.51.100.9", 0));
        assertThat(from("Forwarded", "for=6.6.6.6", "Forwarded", "proto=https;for=198.51.100.9")).isEqualTo(at("198.51.100.9", 0));
        // the balancer's element names no client: nothing earlier is believed instead
        assertThat(from("Forwarded", "for=6.6.6.6, proto=https")).isNull();
    }

    @Test
    void anythingButAnIpLiteralNamesNoOne() {
        assertThat(from("X-Forwarded-For", "unknown")).isNull();
        assertThat(from("Forwarded", "for=_hidden")).isNull();
        assertThat(from("Forwarded", "for=unknown")).isNull();
        assertThat(from("X-Forwarded-For", "localhost")).isNull();
        assertThat(from("X-Forwarded-For", "relay.example")).isNull();
        assertThat(from("X-Forwarded-For", "256.1.1.1")).isNull();
        assertThat(from("X-Forwarded-For", "1.2.3")).isNull();
        assertThat(from("X-Forwarded-For", "010.1.1.1")).isNull();
        assertThat(from("X-Forwarded-For", ".::")).isNull();
        assertThat(from("X-Forwarded-For", "198.51.100.9:99999")).isNull();
        assertThat(from("X-Forwarded-For", "[2001:db8::9")).isNull();
        assertThat(from("X-Forwarded-For", "2001:db8::9::1")).isNull();
        assertThat(from("X-Forwarded-For", "fe80::1%eth0")).isNull();
        assertThat(from("X-Forwarded-For", " , ")).isNull();
        assertThat(from("Accept", "text/plain")).isNull();
    }

    @Test
    void theTextIsTheIpAddressWithoutAPort() throws Exception {
        assertThat(ClientAddress.text(at("203.0.113.7", 40001))).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.text(at("2001:db8::7", 1))).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(ClientAddress.text(null)).isNull();
    }
}
