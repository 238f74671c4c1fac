package dev.configstore.internal.rows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.internal.rows.EntryReads.Access;
import dev.configstore.internal.rows.EntryReads.Extent;
import org.junit.jupiter.api.Test;

/** Which way a read by revision goes, for the shapes of history the benchmark and users have. */
class EntryReadsTest {

    private static final long LIVE = StoreRows.LIVE;
    private static final Extent MILLION = new Extent(0, 1_000_000, 200);

    @Test
    void choose_oldRevision_takesTheValidFromRange() {
        assertThat(EntryReads.choose(-1, 1_000, LIVE, MILLION)).isEqualTo(Access.VALID_FROM_RANGE);
    }

    @Test
    void choose_recentRevision_takesTheValidToRange() {
        assertThat(EntryReads.choose(-1, 999_000, LIVE, MILLION)).isEqualTo(Access.VALID_TO_RANGE);
    }

    @Test
    void choose_revisionDeepInsideALongHistory_seeksPerKey() {
        assertThat(EntryReads.choose(-1, 500_000, LIVE, MILLION)).isEqualTo(Access.KEY_SEEK);
    }

    @Test
    void choose_diffSides_takeTheirShortRanges() {
        // what ended between 1,000 and 999,000 among the rows live at 1,000; what began after 1,000 among those live at 999,000
        assertThat(EntryReads.choose(-1, 1_000, 999_000, MILLION)).isEqualTo(Access.VALID_FROM_RANGE);
        assertThat(EntryReads.choose(1_000, 999_000, LIVE, MILLION)).isEqualTo(Access.VALID_TO_RANGE);
        // a short window in the middle: both sides read only the window
        assertThat(EntryReads.choose(-1, 500_000, 500_100, MILLION)).isEqualTo(Access.VALID_TO_RANGE);
        assertThat(EntryReads.choose(500_000, 500_100, LIVE, MILLION)).isEqualTo(Access.VALID_FROM_RANGE);
    }

    @Test
    void choose_manyKeys_preferARangeOverASeekPerKey() {
        Extent large = new Extent(0, 1_000_000, 10_000);
        assertThat(EntryReads.choose(-1, 999_900, LIVE, large)).isEqualTo(Access.VALID_TO_RANGE);
        assertThat(EntryReads.choose(-1, 100_000, LIVE, large)).isEqualTo(Access.VALID_FROM_RANGE);
    }

    @Test
    void choose_belowTheHistoryFloor_countsOnlyRowsAboveIt() {
        Extent compacted = new Extent(990_000, 1_000_000, 200);
        assertThat(EntryReads.choose(-1, 995_000, LIVE, compacted)).isEqualTo(Access.VALID_FROM_RANGE);
    }
}
