package io.github.socketdock.internal.common;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Calling a backend callback: whatever it does — returns a stage, null, or throws — gives a future. */
public final class Stages {

    private Stages() {
    }

    /** @return the callback's stage as a future; completed for null, failed if it threw */
    public static CompletableFuture<Void> call(Supplier<CompletionStage<Void>> callback) {
        try {
            CompletionStage<Void> stage = callback.get();
            return stage == null ? CompletableFuture.completedFuture(null) : stage.toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
