package dev.configstore.replication;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that gives a test {@link PostgresPairs} to start primary/standby pairs with,
 * and stops and deletes every pair the test started when it ends. Without the PostgreSQL server
 * binaries the test class is skipped, with the reason in the report.
 */
public final class PostgresPairs implements BeforeAllCallback, AfterEachCallback, ParameterResolver {

    private final List<PostgresPair> started = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        String reason = PostgresPair.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "replication tests skipped: " + reason);
    }

    /** Starts a pair that the extension stops after the test. */
    public synchronized PostgresPair start(boolean synchronous) throws Exception {
        PostgresPair pair = PostgresPair.start(synchronous);
        started.add(pair);
        return pair;
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) throws Exception {
        Exception failure = null;
        for (PostgresPair pair : started) {
            try {
                pair.close();
            } catch (Exception e) {
                failure = e;
            }
        }
        started.clear();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresPairs.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return this;
    }
}
