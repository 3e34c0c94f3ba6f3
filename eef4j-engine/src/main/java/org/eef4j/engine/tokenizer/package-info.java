/**
 * Tokenizers and chat templates: byte-level BPE read from (and written to) the Hugging Face formats, so that a model
 * made here opens in the Python ecosystem and a Hugging Face model's tokenizer works here unchanged.
 *
 * <h2>Public API</h2>
 * <pre>{@code
 * Tokenizer tok = Tokenizer.load(Path.of("model-dir"));      // or the tokenizer.json itself
 * int[] ids = tok.encode("Hello <|im_end|> world");          // adds no special tokens
 * int[] withBos = tok.encode(text, true);                    // post-processor tokens too (Llama 3's <|begin_of_text|>)
 * Encoding enc = tok.encodeWithOffsets(text, false);         // ids + the character range of each token
 * String text = tok.decode(ids);                             // tok.decode(ids, true) skips special tokens
 *
 * ChatTemplate template = ChatTemplate.load(Path.of("model-dir"));   // tokenizer_config.json's chat_template
 * RenderedChat chat = template.render(messages, addGenerationPrompt); // text + a MessageSpan per message
 * TokenizedChat tokens = chat.tokenize(tok);                 // ids + each message's token range
 * boolean[] lossMask = tokens.assistantMask();               // exactly the assistant contents and their end tokens
 *
 * TrainedBpe bpe = BpeTrainer.train(texts, BpeTrainer.Config.chatMl(8192));
 * bpe.save(Path.of("new-model"));                            // tokenizer.json + tokenizer_config.json (ChatML)
 * }</pre>
 *
 * <h2>Fidelity</h2>
 * {@link org.eef4j.engine.tokenizer.Tokenizer} encodes and decodes as the Hugging Face tokenizers library does (tested
 * id for id against it, through DJL, on the Llama 3 and Qwen3 files and on trained ones). It reads byte-level BPE
 * models with the normalizers (NFC/NFD/NFKC/NFKD, Lowercase, Sequence), pre-tokenizers (Split, ByteLevel, Sequence),
 * post-processors (ByteLevel, TemplateProcessing for one sequence, Sequence) and decoders (ByteLevel) those files use,
 * and refuses anything else with the JSON path at fault. {@link org.eef4j.engine.tokenizer.ChatTemplate} renders as
 * transformers' apply_chat_template does (tested against Jinja2's output); its class comment says how message spans
 * are found and why.
 */
package org.eef4j.engine.tokenizer;
