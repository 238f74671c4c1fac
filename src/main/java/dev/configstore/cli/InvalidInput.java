package dev.configstore.cli;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;

/** Input the CLI itself rejects as invalid (exit 5), such as an unparseable time. */
final class InvalidInput extends ConfigStoreException {
    private static final long serialVersionUID = 1L;

    InvalidInput(String message) {
        super(ErrorCode.INVALID_INPUT, message);
    }
}
