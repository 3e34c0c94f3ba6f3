package org.eef4j.engine.tokenizer;

/**
 * A tokenizer.json, tokenizer_config.json or chat template that cannot be used as written. The message names the file
 * and the JSON path (or template construct) at fault, so that the user can fix the file rather than guess.
 */
public final class TokenizerFormatException extends RuntimeException {

    public TokenizerFormatException(String message) {
        super(message);
    }

    public TokenizerFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
