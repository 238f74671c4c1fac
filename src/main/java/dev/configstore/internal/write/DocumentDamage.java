package dev.configstore.internal.write;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;

/** The error for a document whose rows do not match its stored checksum. */
public final class DocumentDamage {

    private DocumentDamage() {
    }

    public static ConfigStoreException refused(HeadCache.DocumentState document) {
        return new ConfigStoreException(ErrorCode.STORE_DAMAGED, "document '" + document.name + "' does not match"
                + " its checksum at revision " + document.lastChanged + " (its rows were changed outside the store), so"
                + " it is neither served nor changed key by key; run verify for every mismatch, then restore the"
                + " document from a restore point (backup restore) or replace it (import --replace)");
    }
}
