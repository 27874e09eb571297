package io.github.socketdock.examples;

import io.github.socketdock.fixtures.RecordingBackendServer;
import org.junit.jupiter.api.Test;

class MountedOnJettyIT {

    @Test
    void relaysOnTheHostsPortAndDrainsWhenTheHostStops() throws Exception {
        try (RecordingBackendServer mediator = MountedExampleChecks.mediator()) {
            MountedOnJetty.Host host = MountedOnJetty.start(mediator.uri("/"), 0, MountedExampleChecks.TOKEN);
            try {
                MountedExampleChecks.relayThenDrainOnHostStop(mediator, host.dock(), host::close);
            } finally {
                host.close();
            }
        }
    }
}
