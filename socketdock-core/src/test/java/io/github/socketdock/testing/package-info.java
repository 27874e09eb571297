/**
 * Test fixtures shared by every module's tests through core's test-jar: a recording HTTP backend
 * ({@link io.github.socketdock.testing.RecordingBackendServer}), a real WebSocket client
 * ({@link io.github.socketdock.testing.TestClient}), raw sockets for malformed input, HTTP
 * helpers and keystores made at test time. Not part of the API.
 */
package io.github.socketdock.testing;
