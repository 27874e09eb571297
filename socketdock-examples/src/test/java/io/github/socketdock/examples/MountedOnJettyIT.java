package io.github.socketdock.examples;

import io.github.socketdock.testing.MockMediator;
import org.junit.jupiter.api.Test;

class MountedOnJettyIT {

    @Test
    void relaysOnTheHostsPortAndDrainsWhenTheHostStops() throws Exception {
        try (MockMediator mediator = MountedExampleChecks.mediator()) {
            MountedOnJetty.Host host = MountedOnJetty.start(mediator.uri("/"), 0, MountedExampleChecks.TOKEN);
            try {
                MountedExampleChecks.relayThenDrainOnHostStop(mediator, host.dock(), host::close);
            } finally {
                host.close();
            }
        }
    }
}
