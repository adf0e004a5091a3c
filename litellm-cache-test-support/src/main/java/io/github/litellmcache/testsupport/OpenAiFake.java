package io.github.litellmcache.testsupport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.BufferedSink;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real HTTP server speaking the OpenAI wire format for {@code /chat/completions} and
 * {@code /embeddings} (also under Azure's deployment paths). Each answer is unique (its id and
 * content carry a sequence number), so a test tells a cached answer from a fresh one, and every
 * request is recorded and counted. Like OpenAI, it ends a stream with a usage chunk when asked
 * ({@code stream_options.include_usage}) and encodes vectors in base64 when asked
 * ({@code encoding_format}). In {@link #kitchenSink()} mode it answers with every field of OpenAI's
 * chat completion, chunk and embedding objects, plus {@code reasoning_content} and unknown nested
 * fields, and keeps what it sent for {@link #lastAnswer()} and {@link #lastChunks()}.
 */
public final class OpenAiFake implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final MockWebServer server = new MockWebServer();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger cancelledStreams = new AtomicInteger();
    private volatile int errorStatus;
    private volatile String errorBody = "";
    private volatile Map<String, String> errorHeaders = Map.of();
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration chunkInterval = Duration.ZERO;
    private volatile @Nullable String streamInsert;
    private volatile boolean cutNextStreamBeforeItsUsage;
    private volatile boolean nextStreamWithoutFinishReason;
    private volatile boolean streamsWithoutIds;
    private volatile boolean kitchenSink;
    private volatile String lastAnswer = "";
    private volatile UnaryOperator<List<Map<String, Object>>> embeddingData = UnaryOperator.identity();
    private volatile @Nullable String embeddingModel;
    private volatile @Nullable String completionModel;

    public OpenAiFake() {
        this.server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        try {
            this.server.start();
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The base URL, like {@code http://127.0.0.1:1234/v1}. */
    public String apiBase() {
        return this.server.url("/v1").toString();
    }

    /** The server's root URL, for Azure's {@code /openai/deployments/...} paths. */
    public String root() {
        String url = this.server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    public int requestCount() {
        return this.requests.size();
    }

    /** Waits, at most ten seconds, until the fake has received {@code count} requests; fails when it has not. */
    public void awaitRequests(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (requestCount() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the fake received " + requestCount() + " requests, not " + count);
            }
            Thread.sleep(10);
        }
    }

    public List<RecordedRequest> requests() {
        return new ArrayList<>(this.requests);
    }

    public RecordedRequest lastRequest() {
        return this.requests.get(this.requests.size() - 1);
    }

    /** The JSON body of the last request. */
    public JsonNode lastBody() {
        return JSON.readTree(lastRequest().getBody().utf8());
    }

    /** Answers every following request with this status and body, until {@link #succeed()}. */
    public void fail(int status, String body) {
        fail(status, body, Map.of());
    }

    /** Answers every following request with this status, body and headers, until {@link #succeed()}. */
    public void fail(int status, String body, Map<String, String> headers) {
        this.errorBody = body;
        this.errorHeaders = Map.copyOf(headers);
        this.errorStatus = status;
    }

    public void succeed() {
        this.errorStatus = 0;
    }

    /** Answers with every field OpenAI sends and some it does not, from now on. */
    public void kitchenSink() {
        this.kitchenSink = true;
    }

    /** The JSON body of the last answer that was not a stream. */
    public JsonNode lastAnswer() {
        return JSON.readTree(this.lastAnswer);
    }

    /** The chunks of the last stream, as sent, without {@code [DONE]}. */
    public List<JsonNode> lastChunks() {
        return this.lastAnswer
                .lines()
                .filter(line -> line.startsWith("data: {"))
                .map(line -> JSON.readTree(line.substring("data: ".length())))
                .toList();
    }

    /**
     * From now on, answers embedding requests with what {@code rewrite} makes of the {@code data} the fake
     * would send (each item a map with {@code object}, {@code index} and {@code embedding}), to play a
     * provider that reorders, drops, repeats or mangles embeddings.
     */
    public void rewriteEmbeddings(UnaryOperator<List<Map<String, Object>>> rewrite) {
        this.embeddingData = rewrite;
    }

    /** From now on, answers every embedding with {@code vector}: a list of numbers, a base64 string, or anything else. */
    public void answerEveryEmbeddingWith(Object vector) {
        rewriteEmbeddings(data -> data.stream()
                .map(embedding -> {
                    Map<String, Object> changed = new HashMap<>(embedding);
                    changed.put("embedding", vector);
                    return changed;
                })
                .toList());
    }

    /**
     * From now on, names {@code model} in every embeddings answer instead of the model asked for, as a
     * deployment does whose model was swapped; null names the model asked for again.
     */
    public void answerEmbeddingsAsModel(@Nullable String model) {
        this.embeddingModel = model;
    }

    /**
     * From now on, names {@code model} in every chat completion answer (not in streams) instead of the model asked
     * for, as a proxy does that substitutes one; null names the model asked for again.
     */
    public void answerCompletionsAsModel(@Nullable String model) {
        this.completionModel = model;
    }

    /** Delays every answer by {@code latency}. */
    public void latency(Duration latency) {
        this.latency = latency;
    }

    private MockResponse answer(RecordedRequest request) {
        // The failure is read before the request is counted, so that a test that waits for the request and then
        // calls succeed() never turns the answer it meant to fail into a success.
        int errorStatus = this.errorStatus;
        this.requests.add(request);
        MockResponse.Builder response = new MockResponse.Builder().addHeader("Content-Type", "application/json");
        if (!this.latency.isZero()) {
            response.headersDelay(this.latency.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (errorStatus != 0) {
            this.errorHeaders.forEach(response::addHeader);
            return response.code(errorStatus).body(this.errorBody).build();
        }
        int n = this.sequence.incrementAndGet();
        JsonNode body = JSON.readTree(request.getBody().utf8());
        String path = request.getUrl().encodedPath();
        if (body.path("stream").asBoolean(false)) {
            return stream(n, body, response);
        }
        if (this.kitchenSink) {
            return response.code(200)
                    .body(remember(
                            path.endsWith("/embeddings")
                                    ? KitchenSink.embeddings(n, body)
                                    : KitchenSink.completion(n, body, lastMessage(body))))
                    .build();
        }
        Object answer = path.endsWith("/embeddings") ? embeddings(body) : completion(n, body);
        return response.code(200).body(JSON.writeValueAsString(answer)).build();
    }

    private String remember(String answer) {
        this.lastAnswer = answer;
        return answer;
    }

    /**
     * Server-sent events: a chunk with the role, one per word of the answer, one with the finish
     * reason, when asked one with the usage and no choices, then {@code [DONE]}; with
     * {@link #chunkInterval}, each event after the first comes that much later.
     */
    private MockResponse stream(int n, JsonNode body, MockResponse.Builder response) {
        String id = "chatcmpl-fake-" + n;
        String model = body.path("model").asString();
        List<String> events = new ArrayList<>();
        if (this.kitchenSink) {
            events.addAll(KitchenSink.chunks(
                    n,
                    body,
                    lastMessage(body),
                    body.path("stream_options").path("include_usage").asBoolean(false)));
            return streamed(events, response);
        }
        events.add(chunk(id, model, Map.of("role", "assistant", "content", ""), null));
        for (String word : ("answer " + n + " to " + lastMessage(body)).split("(?<= )")) {
            events.add(chunk(id, model, Map.of("content", word), null));
        }
        if (this.streamInsert != null) {
            events.add(this.streamInsert);
            this.streamInsert = null;
        }
        if (this.nextStreamWithoutFinishReason) {
            this.nextStreamWithoutFinishReason = false;
        } else {
            events.add(chunk(id, model, Map.of(), "stop"));
        }
        if (this.cutNextStreamBeforeItsUsage) {
            this.cutNextStreamBeforeItsUsage = false;
            return streamed(events, false, response);
        }
        if (body.path("stream_options").path("include_usage").asBoolean(false)) {
            Map<String, Object> usageChunk = chunkFields(id, model, List.of());
            usageChunk.put("usage", usage(n));
            events.add(JSON.writeValueAsString(usageChunk));
        }
        return streamed(events, response);
    }

    private MockResponse streamed(List<String> events, MockResponse.Builder response) {
        return streamed(events, true, response);
    }

    private MockResponse streamed(List<String> sent, boolean done, MockResponse.Builder response) {
        List<String> events = this.streamsWithoutIds
                ? new ArrayList<>(sent.stream().map(OpenAiFake::withoutId).toList())
                : sent;
        if (done) {
            events.add("[DONE]");
        }
        StringBuilder sse = new StringBuilder();
        events.forEach(event -> sse.append("data: ").append(event).append("\n\n"));
        response.setHeader("Content-Type", "text/event-stream").code(200);
        String body = remember(sse.toString());
        if (this.chunkInterval.isZero()) {
            return response.body(body).build();
        }
        return response.body(new SlowStream(events, this.chunkInterval)).build();
    }

    /** How many slow streams ({@link #chunkInterval}) ended because the client went away before their end. */
    public int cancelledStreams() {
        return this.cancelledStreams.get();
    }

    /**
     * A stream that sends one event, then each next one {@code interval} later, and counts it as cancelled when the
     * client has closed the connection before its end.
     */
    private final class SlowStream implements MockResponseBody {

        private final List<byte[]> events;
        private final Duration interval;

        SlowStream(List<String> events, Duration interval) {
            this.events = events.stream()
                    .map(event -> ("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8))
                    .toList();
            this.interval = interval;
        }

        @Override
        public long getContentLength() {
            return this.events.stream().mapToLong(event -> event.length).sum();
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            try {
                for (int i = 0; i < this.events.size(); i++) {
                    if (i > 0) {
                        Thread.sleep(this.interval.toMillis());
                    }
                    sink.write(this.events.get(i));
                    sink.flush();
                }
            } catch (IOException ex) {
                OpenAiFake.this.cancelledStreams.incrementAndGet();
                throw ex;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException(ex);
            }
        }
    }

    private static String chunk(String id, String model, Map<String, Object> delta, String finishReason) {
        Map<String, Object> choice = new java.util.LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("finish_reason", finishReason);
        return JSON.writeValueAsString(chunkFields(id, model, List.of(choice)));
    }

    /** The fields every chunk of a stream has, in OpenAI's order. */
    private static Map<String, Object> chunkFields(String id, String model, List<Map<String, Object>> choices) {
        Map<String, Object> chunk = new java.util.LinkedHashMap<>();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", 1_700_000_000L);
        chunk.put("model", model);
        chunk.put("choices", choices);
        return chunk;
    }

    /** From now on, streams chunks without an {@code id}, as OpenVINO Model Server and MiniMax do. */
    public void streamWithoutIds() {
        this.streamsWithoutIds = true;
    }

    private static String withoutId(String event) {
        JsonNode chunk = JSON.readTree(event);
        if (chunk instanceof ObjectNode object) {
            object.remove("id");
            return JSON.writeValueAsString(object);
        }
        return event;
    }

    /** Makes the next stream send an error event with {@code message} before its last chunk. */
    public void failNextStreamMidway(String message) {
        sendInNextStream("{\"error\":{\"message\":\"" + message + "\"}}");
    }

    /** Makes the next stream send an event with {@code data} before its last chunk. */
    public void sendInNextStream(String data) {
        this.streamInsert = data;
    }

    /**
     * Makes the next stream end after its finish reason, without the usage chunk (even when asked) and
     * without {@code [DONE]}: the server closes the connection there, cleanly.
     */
    public void cutNextStreamBeforeItsUsage() {
        this.cutNextStreamBeforeItsUsage = true;
    }

    /** Makes the next stream send no chunk with a {@code finish_reason}, ending with {@code [DONE]} all the same. */
    public void streamNextWithoutFinishReason() {
        this.nextStreamWithoutFinishReason = true;
    }

    /** Streams events {@code interval} apart after the first, to see when the first one arrives. */
    public void chunkInterval(Duration interval) {
        this.chunkInterval = interval;
    }

    /** The vector the fake gives {@code text}: the same for the same text in every answer. */
    public static List<Float> vectorOf(String text) {
        return List.of((float) text.length(), (float) Math.floorMod(text.hashCode(), 997), 1f);
    }

    /** The vector the fake gives a token array: that of its JSON form, such as {@code [1,2]}. */
    public static float[] vectorArrayOf(List<Integer> tokens) {
        return vectorArrayOf(tokensText(tokens));
    }

    /** The items of {@code input}: its elements, or itself when it is one flat token array ({@code [1, 2]}). */
    private static List<JsonNode> items(JsonNode input) {
        List<JsonNode> items = new ArrayList<>();
        input.forEach(items::add);
        boolean oneTokenArray = !items.isEmpty() && items.stream().allMatch(JsonNode::isIntegralNumber);
        return oneTokenArray ? List.of(input) : items;
    }

    /** An item of {@code input}: its text, or the JSON form of a token array. */
    static String itemText(JsonNode item) {
        if (!item.isArray()) {
            return item.asString();
        }
        List<Integer> tokens = new ArrayList<>();
        item.forEach(token -> tokens.add(token.asInt()));
        return tokensText(tokens);
    }

    private static String tokensText(List<Integer> tokens) {
        return tokens.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
    }

    /** {@link #vectorOf} as the {@code float[]} of an {@code EmbeddingResponse}. */
    public static float[] vectorArrayOf(String text) {
        List<Float> vector = vectorOf(text);
        float[] array = new float[vector.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = vector.get(i);
        }
        return array;
    }

    private Map<String, Object> completion(int n, JsonNode body) {
        return Map.of(
                "id",
                "chatcmpl-fake-" + n,
                "object",
                "chat.completion",
                "created",
                1_700_000_000L + n,
                "model",
                (this.completionModel != null)
                        ? this.completionModel
                        : body.path("model").asString(),
                "choices",
                List.of(Map.of(
                        "index",
                        0,
                        "message",
                        Map.of("role", "assistant", "content", "answer " + n + " to " + lastMessage(body)),
                        "finish_reason",
                        "stop")),
                "usage",
                usage(n));
    }

    /** The usage of the {@code n}th answer: ten prompt tokens and {@code n} completion tokens. */
    private static Map<String, Object> usage(int n) {
        return Map.of("prompt_tokens", 10, "completion_tokens", n, "total_tokens", 10 + n);
    }

    private static String lastMessage(JsonNode body) {
        JsonNode messages = body.path("messages");
        return messages.isEmpty()
                ? ""
                : messages.get(messages.size() - 1).path("content").asString();
    }

    private Map<String, Object> embeddings(JsonNode body) {
        List<Map<String, Object>> data = new ArrayList<>();
        List<JsonNode> input = items(body.path("input"));
        boolean base64 = body.path("encoding_format").asString("float").equals("base64");
        for (int i = 0; i < input.size(); i++) {
            String text = itemText(input.get(i));
            Object vector = base64 ? base64(vectorArrayOf(text)) : vectorOf(text);
            data.add(Map.of("object", "embedding", "index", i, "embedding", vector));
        }
        return Map.of(
                "object",
                "list",
                "model",
                (this.embeddingModel != null)
                        ? this.embeddingModel
                        : body.path("model").asString(),
                "data",
                this.embeddingData.apply(data),
                "usage",
                Map.of("prompt_tokens", 3 * input.size(), "total_tokens", 3 * input.size()));
    }

    /** OpenAI's base64 encoding of a vector: its float32 values, little-endian. */
    private static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(Float.BYTES * vector.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    @Override
    public void close() throws IOException {
        this.server.close();
    }
}
