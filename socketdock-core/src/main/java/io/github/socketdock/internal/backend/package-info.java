/**
 * Backend delivery and retries: the built-in {@code http} backend ({@link
 * io.github.socketdock.internal.backend.HttpBackend}, the facade {@code Backends.http} builds), one
 * POST and its retries ({@code BackendCall}, {@code RetryPolicy}), the ordering window
 * ({@code Delivery}), and the Standard Webhooks signer.
 *
 * <p>Imports {@code internal.common}, {@code net}, {@code wire} and {@code relay} (the
 * {@code Relay} it is handed); nothing imports it but {@code Backends}. Not exported; may change
 * in any release.
 */
package io.github.socketdock.internal.backend;
