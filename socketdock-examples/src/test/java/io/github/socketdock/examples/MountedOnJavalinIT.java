package io.github.socketdock.examples;

import io.github.socketdock.testing.MockMediator;
import org.junit.jupiter.api.Test;

class MountedOnJavalinIT {

    @Test
    void relaysOnTheAppsPortAndDrainsWhenTheAppStops() throws Exception {
        try (MockMediator mediator = MountedExampleChecks.mediator()) {
            MountedOnJavalin.App app = MountedOnJavalin.start(mediator.uri("/"), 0, MountedExampleChecks.TOKEN);
            try {
                MountedExampleChecks.relayThenDrainOnHostStop(mediator, app.relay().dock(), app::close);
            } finally {
                app.close();
            }
        }
    }
}
