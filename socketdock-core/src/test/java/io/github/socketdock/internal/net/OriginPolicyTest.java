package io.github.socketdock.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Origin patterns match a whole origin: scheme, host label by label, port; hostile look-alikes never. */
class OriginPolicyTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            https://*.example.org      | https://a.example.org                   | true
            https://*.example.org      | https://a.b.example.org                 | true
            https://*.example.org      | HTTPS://A.Example.ORG                   | true
            https://*.example.org      | https://a.example.org:443               | true
            https://*.example.org      | https://example.org                     | false
            https://*.example.org      | https://evil.com?.example.org           | false
            https://*.example.org      | https://evil.com#.example.org           | false
            https://*.example.org      | https://evil.com/.example.org           | false
            https://*.example.org      | https://evil.com\\.example.org          | false
            https://*.example.org      | https://user@a.example.org              | false
            https://*.example.org      | https://a.example.org@evil.com          | false
            https://*.example.org      | https://a.example.org.                  | false
            https://*.example.org      | https://a..example.org                  | false
            https://*.example.org      | https://.example.org                    | false
            https://*.example.org      | https://aexample.org                    | false
            https://*.example.org      | https://a.example.org.evil.com          | false
            https://*.example.org      | https://a.example.org:8443              | false
            https://*.example.org      | https://a.example.org:                  | false
            https://*.example.org      | http://a.example.org                    | false
            https://*.example.org      | https://a.example.org/                  | false
            https://*.example.org      | https://a.example.org/path              | false
            https://*.example.org      | https://a%2eexample.org                 | false
            https://*.example.org      | https://a.example.org%00                | false
            https://*.example.org      | https://a example.org                   | false
            https://*.example.org      | https://*.example.org                   | false
            https://*.example.org      | null                                    | false
            https://*.example.org      | https://                                | false
            https://*.example.org      | //a.example.org                         | false
            https://*.example.org      | https://a.example.org:99999             | false
            https://*.example.org:8443 | https://a.example.org:8443              | true
            https://*.example.org:8443 | https://a.example.org                   | false
            https://wallet.example.org | https://wallet.example.org              | true
            https://wallet.example.org | https://wallet.example.org:443          | true
            https://wallet.example.org | https://wallet.example.org.evil.com     | false
            https://wallet.example.org | https://xwallet.example.org             | false
            https://wallet.example.org | https://a.wallet.example.org            | false
            https://wallet.example.org:443 | https://wallet.example.org          | true
            http://localhost:3000      | http://localhost:3000                   | true
            http://localhost:3000      | http://localhost:30000                  | false
            http://localhost:3000      | http://localhost                        | false
            https://a.*.example.org    | https://a.b.example.org                 | true
            https://a.*.example.org    | https://a.b.c.example.org               | true
            https://a.*.example.org    | https://a.example.org                   | false
            https://a.*.example.org    | https://b.c.example.org                 | false
            http://[::1]:8080          | http://[::1]:8080                       | true
            http://[::1]:8080          | http://[::2]:8080                       | false
            """)
    void anOriginMatchesAPatternOnlyAsAWhole(String pattern, String origin, boolean allowed) {
        assertThat(new OriginPolicy(List.of(pattern)).allows(origin)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "https://*", "wallet.example.org", "https://wallet.example.org/",
        "https://wallet.example.org/path", "https://wallet.example.org?q", "https://user@wallet.example.org",
        "https://wallet.example.org.", "https://wallet..example.org", "https://*example.org",
        "https://w*.example.org", "https://wallet.example.org:99999", "https://wallet.example.org:"})
    void aMalformedPatternIsRefusedWithAMessage(String pattern) {
        assertThatThrownBy(() -> OriginPolicy.pattern(pattern)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowed origin");
    }

    @org.junit.jupiter.api.Test
    void withoutAnOriginOrWithoutAListEverythingIsAllowed() {
        assertThat(new OriginPolicy(List.of("https://a.example.org")).allows(null)).isTrue();
        assertThat(new OriginPolicy(List.of()).allows("https://anything.example")).isTrue();
    }
}
