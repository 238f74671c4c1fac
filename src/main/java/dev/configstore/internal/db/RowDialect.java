package dev.configstore.internal.db;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;

/**
 * The pieces of the versioned tables' hand-written SQL that differ between the engines; the
 * engines implement them, and the rows layer asks for them instead of testing the engine.
 */
public interface RowDialect {

    /** The engine behind a jOOQ context of the store. */
    static RowDialect of(DSLContext context) {
        return context.dialect() == SQLDialect.H2 ? H2Engine.INSTANCE : PostgresEngine.INSTANCE;
    }

    /** The comparison for "the next key or name after the bound one" ({@code > ?} or its engine's faster form). */
    String after();

    /** What to bind for "after {@code text}" in a comparison made with {@link #after()}. */
    String afterValue(String text);

    /** A hint that makes the engine read {@code index}, or nothing where the planner picks well. */
    String useIndex(String index);
}
