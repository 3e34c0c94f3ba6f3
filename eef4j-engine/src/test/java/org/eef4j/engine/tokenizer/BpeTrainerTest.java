package org.eef4j.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training a byte-level BPE tokenizer, and the files it writes read back by us and by the Hugging Face library. */
class BpeTrainerTest {

    private static List<String> smallCorpus() {
        String corpus = Fixtures.resource("corpus.txt");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            texts.addAll(List.of(corpus.split("\n\n")));
        }
        return texts;
    }

    @Test
    void learnsTheMostFrequentPairFirstAndBreaksTiesBySmallerIds() {
        // "ab" is in every word (7), then " ab" (6); then four pairs tie at 2: (Ġab, c), (c, d), (Ġab, e), (e, f).
        // The tie goes to the smallest ids: c (99) before the merged token Ġab (257).
        List<String> texts = List.of("ab ab ab abcd abcd abef abef");
        TrainedBpe bpe = BpeTrainer.train(texts, new BpeTrainer.Config(256 + 3, List.of(), 2));
        assertThat(bpe.merges()).extracting(m -> m[0] + "+" + m[1]).containsExactly("a+b", "Ġ+ab", "c+d");
        assertThat(bpe.vocab()).hasSize(259).containsEntry("a", (int) 'a').containsEntry("Ġab", 257);
    }

    @Test
    void stopsWhenNoPairIsFrequentEnough() {
        TrainedBpe bpe = BpeTrainer.train(List.of("xyz"), new BpeTrainer.Config(1000, List.of(), 2));
        assertThat(bpe.merges()).isEmpty();
        assertThat(bpe.vocab()).hasSize(256);
    }

    @Test
    void specialTokensComeFirstAndAreNeverMerged() {
        TrainedBpe bpe = BpeTrainer.train(smallCorpus(), BpeTrainer.Config.chatMl(600));
        assertThat(bpe.vocab()).hasSize(600);
        assertThat(bpe.vocab().get("<|endoftext|>")).isZero();
        assertThat(bpe.vocab().get("<|im_end|>")).isEqualTo(2);
        assertThat(bpe.merges()).noneMatch(m -> (m[0] + m[1]).contains("<|im"));
        Tokenizer tok = bpe.tokenizer();
        assertThat(tok.encode("<|im_start|>user\nhi<|im_end|>")).startsWith(1).contains(2);
    }

    @Test
    void trainingIsDeterministic() {
        String a = BpeTrainer.train(smallCorpus(), BpeTrainer.Config.chatMl(700)).tokenizerJson();
        String b = BpeTrainer.train(smallCorpus(), BpeTrainer.Config.chatMl(700)).tokenizerJson();
        assertThat(a).isEqualTo(b);
    }

    @Test
    void writtenFilesEncodeIdenticallyHereAndInHuggingFace(@TempDir Path dir) {
        List<String> texts = smallCorpus();
        TrainedBpe bpe = BpeTrainer.train(texts, BpeTrainer.Config.chatMl(1000));
        bpe.save(dir);
        Tokenizer ours = Tokenizer.load(dir);
        List<String> probes = new ArrayList<>(List.of(Fixtures.resource("corpus.txt").split("\n")));
        Random random = new Random(3);
        String alphabet = "ab cé\n\t1'sS中😀<|im_end|>.!";
        for (int i = 0; i < 500; i++) {
            StringBuilder sb = new StringBuilder();
            random.ints(1 + random.nextInt(30), 0, alphabet.length()).forEach(k -> sb.append(alphabet.charAt(k)));
            probes.add(sb.toString().replace("\uD83D", "").replace("\uDE00", "")); // keep the emoji only whole
        }
        probes.add("😀 and 中文");
        try (HfOracle hf = HfOracle.open(dir.resolve("tokenizer.json"))) {
            for (String text : probes) {
                int[] ids = ours.encode(text);
                assertThat(ids).as("ids of %s", TokenizerParityTest.show(text)).containsExactly(hf.encode(text, false));
                assertThat(ours.decode(ids)).isEqualTo(text);
            }
        }
    }

    @Test
    void wholeWordsGiveAWordTheSameTokensWhereverItStands() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            texts.add("Find me short sleeve, cotton blend t-shirt, and price lower than 60.00 dollars");
            texts.add("Action: search[short sleeve cotton blend] click[B0HP2RBI80] [SEP] B0HP2RBI80 [SEP]");
        }
        Tokenizer words = BpeTrainer.train(texts, BpeTrainer.Config.chatMl(600)
                .withPattern(BpeTrainer.WHOLE_WORDS_PATTERN)).tokenizer();
        assertThat(words.encode("[short")).containsExactly(concat(words.encode("["), words.encode("short")));
        assertThat(words.encode(" short")).containsExactly(concat(words.encode(" "), words.encode("short")));
        assertThat(words.encode("click[B0HP2RBI80]")).containsSubsequence(words.encode("B0HP2RBI80"));
        assertThat(words.encode("[SEP] B0HP2RBI80 [SEP]")).containsSubsequence(words.encode("B0HP2RBI80"));
        // Llama 3's pattern glues the bracket or the space to the word: the two spellings share no token
        Tokenizer llama = BpeTrainer.train(texts, BpeTrainer.Config.chatMl(600)).tokenizer();
        assertThat(llama.encode("[short")).doesNotContain(llama.encode(" short"));
    }

    @Test
    void namedWordsEndTheNameWhereTheValueStarts() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            texts.add("Find me a t-shirt with color: white, and size: large, and price lower than 60.00 dollars");
            texts.add("Action: click[size: large] click[color: white]");
        }
        Tokenizer named = BpeTrainer.train(texts, BpeTrainer.Config.chatMl(600)
                .withPattern(BpeTrainer.NAMED_WORDS_PATTERN)).tokenizer();
        int[] sizeName = named.encode("size: ");
        assertThat(sizeName).as("\"size: \" is one token").hasSize(1);
        // the token before the value is the name's own, in the instruction and in the click alike
        assertThat(named.encode("and size: large")).endsWith(concat(sizeName, named.encode("large")));
        assertThat(named.encode("click[size: large]")).containsSubsequence(concat(sizeName, named.encode("large")));
        assertThat(named.encode("color: ")).hasSize(1).doesNotContain(sizeName[0]);
        // a colon without the space after it stays a piece of its own
        assertThat(named.encode("size:large")).startsWith(named.encode("size"));
        assertThat(BpeTrainer.patternName(BpeTrainer.NAMED_WORDS_PATTERN)).isEqualTo("named words");
        assertThat(BpeTrainer.patternName(BpeTrainer.WHOLE_WORDS_PATTERN)).isEqualTo("whole words");
        assertThat(BpeTrainer.patternName("\\S+")).isEqualTo("custom");
    }

    @Test
    void wholeWordFilesEncodeIdenticallyHereAndInHuggingFace(@TempDir Path dir) {
        BpeTrainer.train(smallCorpus(), BpeTrainer.Config.chatMl(900).withPattern(BpeTrainer.WHOLE_WORDS_PATTERN))
                .save(dir);
        Tokenizer ours = Tokenizer.load(dir);
        try (HfOracle hf = HfOracle.open(dir.resolve("tokenizer.json"))) {
            for (String text : Fixtures.resource("corpus.txt").split("\n")) {
                int[] ids = ours.encode(text);
                assertThat(ids).as("ids of %s", TokenizerParityTest.show(text)).containsExactly(hf.encode(text, false));
                assertThat(ours.decode(ids)).isEqualTo(text);
            }
        }
    }

    @Test
    void aBadPatternFailsBeforeTraining() {
        assertThatThrownBy(() -> BpeTrainer.Config.chatMl(600).withPattern("(unclosed"))
                .isInstanceOf(java.util.regex.PatternSyntaxException.class);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void chatTemplateWrittenBesideTheTokenizerRendersChatMl(@TempDir Path dir) {
        BpeTrainer.train(smallCorpus(), BpeTrainer.Config.chatMl(800)).save(dir);
        ChatTemplate template = ChatTemplate.load(dir);
        List<ChatMessage> chat = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"),
                ChatMessage.assistant("Hello!"));
        RenderedChat rendered = template.render(chat, false);
        assertThat(rendered.text()).isEqualTo(
                "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n");
        MessageSpan answer = rendered.spans().get(2);
        assertThat(rendered.text().substring(answer.contentStart(), answer.end())).isEqualTo("Hello!<|im_end|>");
        assertThat(template.renderText(chat.subList(0, 2), true)).endsWith("<|im_start|>assistant\n");
    }

    @Test
    void compressesTheCatalogueItWasTrainedOn() throws IOException {
        Path products = Fixtures.shared("data/webshop-1k/products.jsonl");
        List<String> lines = new ArrayList<>();
        long chars = 0;
        try (Stream<String> stream = Files.lines(products, StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) stream::iterator) {
                lines.add(line);
                chars += line.length();
                if (chars > 1_000_000) {
                    break;
                }
            }
        }
        TrainedBpe bpe = BpeTrainer.train(lines, BpeTrainer.Config.chatMl(4096));
        assertThat(bpe.vocab()).hasSize(4096);
        Tokenizer tok = bpe.tokenizer();
        long tokens = lines.stream().mapToLong(l -> tok.encode(l).length).sum();
        long bytes = lines.stream().mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length).sum();
        // 4k merges on product JSON: well over 3 bytes a token (bytes alone would be 1).
        assertThat((double) bytes / tokens).isGreaterThan(3.0);
    }

    @Test
    void rejectsBadConfig() {
        assertThatThrownBy(() -> new BpeTrainer.Config(100, List.of(), 2)).hasMessageContaining("256");
        assertThatThrownBy(() -> new BpeTrainer.Config(300, List.of("<a>", "<a>"), 2)).hasMessageContaining("distinct");
        assertThatThrownBy(() -> new BpeTrainer.Config(300, List.of(), 0)).hasMessageContaining("minPairCount");
    }
}
