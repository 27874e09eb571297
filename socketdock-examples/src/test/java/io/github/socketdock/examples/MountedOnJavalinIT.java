package io.github.socketdock.examples;

import io.github.socketdock.fixtures.RecordingBackendServer;
import org.junit.jupiter.api.Test;

class MountedOnJavalinIT {

    @Test
    void relaysOnTheAppsPortAndDrainsWhenTheAppStops() throws Exception {
        try (RecordingBackendServer mediator = MountedExampleChecks.mediator()) {
            MountedOnJavalin.App app = MountedOnJavalin.start(mediator.uri("/"), 0, MountedExampleChecks.TOKEN);
            try {
                MountedExampleChecks.relayThenDrainOnHostStop(mediator, app.relay().dock(), app::close);
            } finally {
                app.close();
            }
        }
    }
}
