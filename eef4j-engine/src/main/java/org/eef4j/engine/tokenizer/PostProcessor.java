package org.eef4j.engine.tokenizer;

import java.util.List;

/**
 * A tokenizer.json "post_processor", reduced to what it does to the ids of one sequence: the tokens it puts before and
 * after (Llama 3's TemplateProcessing puts {@code <|begin_of_text|>} before). Applied only when the caller asks for
 * special tokens. ByteLevel's post-processor only trims offsets, so it adds nothing.
 */
record PostProcessor(int[] prefix, int[] suffix) {

    static final PostProcessor NONE = new PostProcessor(new int[0], new int[0]);

    static PostProcessor concat(List<PostProcessor> steps) {
        int[] prefix = new int[0];
        int[] suffix = new int[0];
        for (PostProcessor p : steps) {
            prefix = join(p.prefix, prefix);
            suffix = join(suffix, p.suffix);
        }
        return new PostProcessor(prefix, suffix);
    }

    private static int[] join(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
