package dev.configstore.internal.db;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks a user's SQL text before anything reaches a server: exactly one statement, a query
 * (SELECT, WITH, VALUES, TABLE, EXPLAIN without ANALYZE, SHOW), no row locks, no SELECT INTO,
 * bounded in length and nesting. It reads the text the way each engine's lexer does (string
 * literals, quoted identifiers, comments, dollar quoting), and refuses what the two could read
 * differently (a comment inside a comment, a stray {@code $}), so a {@code ;} hidden from this
 * check is hidden from the server too. This is the first line only: the query then runs as a
 * user that may only read, in a read-only transaction, under a timeout.
 */
final class ReadOnlyQuery {

    /** The longest query accepted, in characters. */
    static final int MAX_LENGTH = 100_000;
    /** The deepest nesting of parentheses accepted (a parser recurses on each). */
    static final int MAX_PARENTHESES = 100;

    private static final Set<String> QUERY_STARTS = Set.of("SELECT", "WITH", "VALUES", "TABLE", "EXPLAIN", "SHOW");
    private static final Set<String> LOCK_WORDS = Set.of("UPDATE", "SHARE", "NO", "KEY");

    private ReadOnlyQuery() {
    }

    /**
     * Returns the one statement of {@code sql} without a trailing semicolon, or throws an
     * {@link ErrorCode#INVALID_INPUT} error saying what is refused.
     */
    static String check(String sql, boolean postgres) {
        if (sql.length() > MAX_LENGTH) {
            throw refused("the query is " + sql.length() + " characters long; the limit is " + MAX_LENGTH);
        }
        List<String> words = new ArrayList<>();
        int depth = 0;
        int semicolon = -1;
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            char next = i + 1 < n ? sql.charAt(i + 1) : '\0';
            boolean comment = (c == '-' && next == '-') || (c == '/' && next == '*') || (!postgres && c == '/' && next == '/');
            if (semicolon >= 0 && !Character.isWhitespace(c) && !comment) {
                throw refused("only one statement per call is run; found more after the ';' at position "
                        + (semicolon + 1));
            }
            if ((c == '-' && next == '-') || (!postgres && c == '/' && next == '/')) {
                i = endOfLine(sql, i);
            } else if (c == '/' && next == '*') {
                i = endOfBlockComment(sql, i);
            } else if (c == '\'') {
                i = endOfString(sql, i, false);
            } else if (c == '"' || (!postgres && c == '`')) {
                i = endOfQuotedIdentifier(sql, i, c);
            } else if (c == '$') {
                i = dollar(sql, i, postgres);
            } else if (c == '(') {
                depth++;
                if (depth > MAX_PARENTHESES) {
                    throw refused("parentheses nest deeper than " + MAX_PARENTHESES + " levels");
                }
                i++;
            } else if (c == ')') {
                depth--;
                i++;
            } else if (c == ';') {
                semicolon = i;
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && isIdentifierPart(sql.charAt(i))) {
                    i++;
                }
                String word = sql.substring(start, i);
                if (i < n && sql.charAt(i) == '\'' && postgres && word.equalsIgnoreCase("E")) {
                    i = endOfString(sql, i, true); // E'...': backslash escapes, including \'
                } else if (i + 1 < n && sql.charAt(i) == '&' && word.equalsIgnoreCase("U")
                        && (sql.charAt(i + 1) == '\'' || sql.charAt(i + 1) == '"')) {
                    i = sql.charAt(i + 1) == '\'' ? endOfString(sql, i + 1, false)
                            : endOfQuotedIdentifier(sql, i + 1, '"');
                } else {
                    words.add(word.toUpperCase(Locale.ROOT));
                }
            } else if (Character.isDigit(c)) {
                while (i < n && (Character.isDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++; // a number; a letter right after it starts a new word (an E'...' string included)
                }
            } else {
                i++;
            }
        }
        checkWords(words);
        return semicolon >= 0 ? sql.substring(0, semicolon) : sql;
    }

    private static void checkWords(List<String> words) {
        if (words.isEmpty() || !QUERY_STARTS.contains(words.get(0))) {
            throw refused("only queries run here (SELECT, WITH, VALUES, TABLE, EXPLAIN, SHOW); this statement starts"
                    + " with " + (words.isEmpty() ? "nothing" : words.get(0)));
        }
        if (words.get(0).equals("EXPLAIN") && (words.size() < 2 || !QUERY_STARTS.contains(words.get(1))
                || words.get(1).equals("EXPLAIN") || words.get(1).equals("SHOW"))) {
            throw refused("EXPLAIN runs here only without options (EXPLAIN ANALYZE executes the statement)");
        }
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("FOR") && i + 1 < words.size() && LOCK_WORDS.contains(words.get(i + 1))) {
                throw refused("locking clauses (FOR UPDATE, FOR SHARE, ...) are refused: a read-only query must not"
                        + " hold locks that writers wait for");
            }
            if (word.equals("INTO")) {
                throw refused("SELECT ... INTO is refused: it writes a table or variables");
            }
        }
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static int endOfLine(String sql, int i) {
        int j = i + 2;
        while (j < sql.length() && sql.charAt(j) != '\n' && sql.charAt(j) != '\r') {
            j++;
        }
        return j;
    }

    /** Both engines nest block comments; refusing a nested one keeps this check out of that question. */
    private static int endOfBlockComment(String sql, int i) {
        int end = sql.indexOf("*/", i + 2);
        int nested = sql.indexOf("/*", i + 2);
        if (end < 0) {
            throw refused("a /* comment is not closed");
        }
        if (nested >= 0 && nested < end) {
            throw refused("a comment inside a comment is refused");
        }
        return end + 2;
    }

    /** A '...' literal: '' is a quote; with {@code backslash} (PostgreSQL's E'...') \ escapes the next character. */
    private static int endOfString(String sql, int quote, boolean backslash) {
        int j = quote + 1;
        while (j < sql.length()) {
            char c = sql.charAt(j);
            if (backslash && c == '\\') {
                j += 2;
            } else if (c == '\'') {
                if (j + 1 < sql.length() && sql.charAt(j + 1) == '\'') {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        throw refused("a string literal is not closed");
    }

    private static int endOfQuotedIdentifier(String sql, int quote, char mark) {
        int j = quote + 1;
        while (j < sql.length()) {
            if (sql.charAt(j) == mark) {
                if (j + 1 < sql.length() && sql.charAt(j + 1) == mark) {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        throw refused("a quoted identifier is not closed");
    }

    /**
     * A {@code $}: part of an identifier when it follows one, else a dollar-quoted string
     * ({@code $$...$$} on both engines, {@code $tag$...$tag$} on PostgreSQL); anything else (a
     * parameter like {@code $1}) is refused.
     */
    private static int dollar(String sql, int i, boolean postgres) {
        if (i > 0 && isIdentifierPart(sql.charAt(i - 1))) {
            return i + 1;
        }
        int j = i + 1;
        if (postgres) {
            while (j < sql.length() && (Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_'
                    || (j > i + 1 && Character.isDigit(sql.charAt(j))))) {
                j++;
            }
        }
        if (j >= sql.length() || sql.charAt(j) != '$') {
            throw refused("a '$' outside a string is refused (parameters are not supported)");
        }
        String tag = sql.substring(i, j + 1);
        int end = sql.indexOf(tag, j + 1);
        if (end < 0) {
            throw refused("a dollar-quoted string is not closed");
        }
        return end + tag.length();
    }

    private static ConfigStoreException refused(String why) {
        return new ConfigStoreException(ErrorCode.INVALID_INPUT, "the query was refused before it ran: " + why);
    }
}
