package dev.configstore.internal.document;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.util.regex.Pattern;

/** The rule for document names: 1 to 64 letters, digits, '-' and '_', starting alphanumeric. */
public final class DocumentNames {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private DocumentNames() {
    }

    public static String check(String name) {
        return check(name, "document name");
    }

    /** Checks a name that follows the same rule, e.g. a restore point's; {@code what} names it in errors. */
    public static String check(String name, String what) {
        if (name == null) {
            throw new NullPointerException(what);
        }
        if (VALID.matcher(name).matches()) {
            return name;
        }
        String shown = name.replaceAll("\\p{Cntrl}", "?");
        String why;
        if (name.isEmpty()) {
            why = "it is empty";
        } else if (name.length() > 64) {
            why = "it is " + name.length() + " characters long, the limit is 64";
        } else if (name.chars().anyMatch(Character::isISOControl)) {
            why = "it contains a control character";
        } else if (name.contains("/") || name.contains("\\")) {
            why = "it contains a path separator";
        } else {
            why = "it may contain only letters, digits, '-' and '_' and must start with a letter or digit";
        }
        throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "invalid " + what + " '" + shown + "': " + why);
    }
}
