package dev.configstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/**
 * The console's request parameters, checked before anything reads the store: a revision is a
 * whole number of at most 18 digits, a limit is 1 to {@link ConsoleApi#MAX_PAGE}, a flag is
 * {@code true} or {@code false}, and a body is one JSON object of typed fields. Names and keys are
 * checked by the store itself, with the same rules and messages as for the CLI.
 */
final class ConsoleParams {

    private ConsoleParams() {
    }

    /** A revision from the query, or null when absent or empty. */
    static Long revision(Context ctx, String name) {
        String text = ctx.queryParam(name);
        return text == null || text.isEmpty() ? null : revision(name, text);
    }

    /** A revision from a body field (a JSON number or a string of digits). */
    static long revision(ObjectNode body, String name) {
        JsonNode node = body.get(name);
        if (node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0) {
            return node.asLong();
        }
        return revision(name, node.isTextual() ? node.asText() : node.toString());
    }

    private static long revision(String name, String text) {
        if (!text.matches("[0-9]{1,18}")) {
            throw new ConsoleApi.Refusal(400, "'" + name + "' must be a revision number (0 to 18 digits), was '"
                    + shortened(text) + "'");
        }
        return Long.parseLong(text);
    }

    /** How many rows a page asks for: {@code limit}, 1 to {@link ConsoleApi#MAX_PAGE}. */
    static int limit(Context ctx, int otherwise) {
        String text = ctx.queryParam("limit");
        if (text == null || text.isEmpty()) {
            return otherwise;
        }
        if (!text.matches("[0-9]{1,4}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > ConsoleApi.MAX_PAGE) {
            throw new ConsoleApi.Refusal(400, "'limit' must be 1 to " + ConsoleApi.MAX_PAGE + ", was '"
                    + shortened(text) + "'");
        }
        return Integer.parseInt(text);
    }

    static boolean flag(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty() || text.equals("false")) {
            return false;
        }
        if (text.equals("true")) {
            return true;
        }
        throw new ConsoleApi.Refusal(400, "'" + name + "' must be true or false, was '" + shortened(text) + "'");
    }

    /** A query parameter, or null when it is absent or blank (an empty form field). */
    static String given(Context ctx, String name) {
        String text = ctx.queryParam(name);
        return text == null || text.isBlank() ? null : text;
    }

    /** A query parameter that must be there. */
    static String required(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            throw new ConsoleApi.Refusal(400, "the query parameter '" + name + "' is missing");
        }
        return text;
    }

    /** The request body: one JSON object, sent as application/json. */
    static ObjectNode body(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ConsoleApi.Refusal(415, "a request body must be application/json, was " + type);
        }
        return ConsoleApi.parseObject(ctx.body());
    }

    /** A text field of a body; {@code required} refuses it absent or empty. */
    static String text(ObjectNode body, String name, boolean required) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                throw new ConsoleApi.Refusal(400, "the field '" + name + "' is missing");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new ConsoleApi.Refusal(400, "the field '" + name + "' must be a string, was "
                    + shortened(node.toString()));
        }
        if (required && node.asText().isEmpty()) {
            throw new ConsoleApi.Refusal(400, "the field '" + name + "' is empty");
        }
        return node.asText();
    }

    static int integer(ObjectNode body, String name) {
        JsonNode node = body.get(name);
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new ConsoleApi.Refusal(400, "the field '" + name + "' must be a whole number, was "
                    + shortened(node.toString()));
        }
        return node.asInt();
    }

    /** At most 64 characters of what was sent, for a message (a huge parameter is not echoed whole). */
    static String shortened(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "... (" + text.length() + " characters)";
    }
}
