/**
 * Answers over many documents with checkable citations, built on LangChain4j's RAG contracts so that other
 * LangChain4j applications can plug it in (a {@code RetrievalAugmentor} with its query transformer, retriever,
 * aggregator and injector, as in LangChain4j's advanced RAG tutorial: docs.langchain4j.dev/tutorials/rag).
 *
 * <pre>
 * question ─ ChineseQueryTransformer ─ FollowUpRewriter (standalone from the chat memory)
 *                                    └ QuestionSplitter  (。？ / 另外 并且 以及 / 分别 / named documents)
 *          ─ one query per part (and per named document), RagQueries carries part and filters
 *          ─ ContentRetriever (ChineseContentRetriever with dynamicFilter(RagQueries::filter))
 *          ─ PartQuotaContentAggregator (per-part fusion, relevance floor, parts take turns)
 *          ─ CitingContentInjector (numbered, labelled, deduplicated, within the model's token budget)
 * </pre>
 *
 * {@link io.yinghuo.retrieval.rag.CitedRetrievalAugmentor} runs these steps as a {@code RetrievalAugmentor};
 * {@link io.yinghuo.retrieval.rag.QaService} adds the model (streaming), the modes (ask, search, chat), the
 * no-evidence and no-model answers, and maps the answer's [n] citations to {@link io.yinghuo.retrieval.rag.Source}s:
 * search hits with the question's terms marked, computed once from the passages retrieved.
 * The package needs only LangChain4j abstractions ({@code TokenCountEstimator}, {@code StreamingChatModel}); the
 * command line wires the Yinghuo model and its tokenizer in.
 */
package io.yinghuo.retrieval.rag;
