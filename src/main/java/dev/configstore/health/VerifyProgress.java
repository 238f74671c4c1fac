package dev.configstore.health;

/** Told how far a verify has come, once per document. */
@FunctionalInterface
public interface VerifyProgress {

    /**
     * Called after each document.
     *
     * @param done documents checked so far
     * @param total documents to check
     * @param document the one just checked
     */
    void documentChecked(int done, int total, String document);
}
