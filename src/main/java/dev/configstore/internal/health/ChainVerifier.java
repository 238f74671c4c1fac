package dev.configstore.internal.health;

import dev.configstore.HistoryCompactedException;
import dev.configstore.health.ChainVerification;
import dev.configstore.internal.document.RevisionDigest;
import dev.configstore.internal.rows.ChainRows;
import dev.configstore.internal.rows.StoreRows;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.jooq.DSLContext;

/**
 * Recomputes the hash chain from the history floor to the head and compares every revision's
 * stored hash (and HMAC, with a key) and, if given, an anchor written down elsewhere. Also fills
 * the chain once for a store made before it existed.
 */
public final class ChainVerifier {

    private ChainVerifier() {
    }

    /**
     * Checks the chain; {@code anchorRevision} below 0 means no anchor. {@code mac} gives the
     * HMAC of a hash, or is null without a key.
     */
    public static ChainVerification verify(DSLContext context, long anchorRevision, String anchorHash,
                                           UnaryOperator<String> mac) {
        long head = StoreRows.head(context);
        ChainRows.Anchor anchor = ChainRows.anchor(context);
        if (anchorRevision >= 0 && anchorRevision < anchor.floor()) {
            throw new HistoryCompactedException(anchorRevision, anchor.floor());
        }
        Walk walk = new Walk(anchor, head, mac);
        if (anchor.floor() > 0 && !anchor.hash().equals(ChainRows.hashOf(context, anchor.floor()))) {
            walk.broken(anchor.floor(), "the floor revision's chain hash differs from the one its compaction recorded");
        }
        if (anchorRevision > head) {
            walk.broken(head + 1, "the anchor names revision " + anchorRevision + " but the history ends at " + head
                    + ": revisions were removed");
        }
        if (anchorRevision == anchor.floor()) {
            walk.checkAnchor(anchorRevision, anchor.hash(), anchorHash);
        }
        ChainRows.forEach(context, anchor.floor(), head, stored -> {
            walk.step(stored);
            if (stored.revision() == anchorRevision) {
                walk.checkAnchor(anchorRevision, walk.previous, anchorHash);
            }
        });
        return new ChainVerification(anchor.floor(), head, walk.checked, mac != null,
                walk.firstBroken < 0 ? OptionalLong.empty() : OptionalLong.of(walk.firstBroken), walk.problem);
    }

    /** The chain walked revision by revision, keeping the first break. */
    private static final class Walk {
        final UnaryOperator<String> mac;
        String previous;
        long checked;
        long firstBroken = -1;
        String problem = "";

        Walk(ChainRows.Anchor anchor, long head, UnaryOperator<String> mac) {
            this.previous = anchor.hash();
            this.mac = mac;
        }

        void step(ChainRows.Stored stored) {
            if (stored.digest() == null) {
                broken(stored.revision(), "revision " + stored.revision() + " is missing from the history");
                return;
            }
            checked++;
            String recomputed = stored.digest().chain(previous);
            if (stored.chainHash() == null) {
                broken(stored.revision(), "revision " + stored.revision() + " has no chain hash");
            } else if (!recomputed.equals(stored.chainHash())) {
                broken(stored.revision(), "revision " + stored.revision() + " is not what was hashed when it was"
                        + " written: its time, actor, message, operation, values or document metadata were changed");
            } else if (mac != null && stored.chainMac() == null) {
                broken(stored.revision(), "revision " + stored.revision() + " has no HMAC: it was written without the"
                        + " keyring, or its HMAC was removed; if the history is known good, sign it with"
                        + " 'secret sign-history'");
            } else if (mac != null && !mac.apply(recomputed).equals(stored.chainMac())) {
                broken(stored.revision(), "revision " + stored.revision() + "'s HMAC does not match its hash: the"
                        + " chain from here on was rewritten by someone without the key");
            }
            previous = stored.chainHash() == null ? recomputed : stored.chainHash();
        }

        void checkAnchor(long revision, String actual, String expected) {
            if (!actual.equalsIgnoreCase(expected)) {
                broken(revision, "revision " + revision + " does not have the anchored chain hash " + expected
                        + ": the history up to it is not what it was when the anchor was written down");
            }
        }

        void broken(long revision, String what) {
            if (firstBroken < 0) {
                firstBroken = revision;
                problem = what;
            }
        }
    }
}
