/**
 * Settings of the built-in {@code http} backend, which relays every socket event to a mediator as a
 * JSON POST and lets the mediator answer through per-connection callback URLs.
 *
 * @see io.github.socketdock.Backends#http(io.github.socketdock.http.HttpBackendOptions)
 */
package io.github.socketdock.http;
