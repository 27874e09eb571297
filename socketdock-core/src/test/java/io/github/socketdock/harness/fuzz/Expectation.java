package io.github.socketdock.harness.fuzz;

import java.util.List;

/**
 * What one storm socket sent.
 *
 * @param op the operation that opened it ({@code x-fuzz-op: w<op>})
 * @param leading the relayed forms of its surely valid messages before its first bad frame, in order
 * @param complete whether all of {@code leading} must have reached the backend (else a prefix of it may)
 * @param input what it did, for the failure message
 */
record Expectation(int op, List<String> leading, boolean complete, String input) {
}
