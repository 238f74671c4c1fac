package dev.configstore.health;

/**
 * Told how far a verify has come, in stored value rows: one row per key per change, the unit
 * of a verify's work. Called on the thread that verifies: keep it quick and do not touch the
 * store from it.
 */
@FunctionalInterface
public interface VerifyProgress {

    /**
     * Called every few hundred rows and after each document.
     *
     * @param rowsDone value rows checked so far
     * @param rowsTotal value rows to check, counted when the verify started (rows written since
     *     may make {@code rowsDone} pass it)
     * @param document the document being checked
     */
    void rowsChecked(long rowsDone, long rowsTotal, String document);
}
