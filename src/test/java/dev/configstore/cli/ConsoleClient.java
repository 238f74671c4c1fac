package dev.configstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** A plain HTTP client for one console: requests with or without its token, answers as text or JSON. */
final class ConsoleClient {

    /** Numbers read exactly, as the console writes them. */
    static final JsonMapper JSON = JsonMapper.builder().nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;
    private final List<String> headers = new ArrayList<>();

    private ConsoleClient(String base, List<String> headers) {
        this.base = base;
        this.headers.addAll(headers);
    }

    /** A client that sends no credential at all. */
    static ConsoleClient anonymous(ConsoleServer server) {
        return new ConsoleClient(server.base(), List.of());
    }

    /** A client that authenticates as a script does: {@code Authorization: Bearer TOKEN}. */
    static ConsoleClient bearer(ConsoleServer server) {
        return new ConsoleClient(server.base(), List.of("Authorization", "Bearer " + server.token()));
    }

    /** This client with one more header on every request. */
    ConsoleClient with(String name, String value) {
        List<String> more = new ArrayList<>(headers);
        more.add(name);
        more.add(value);
        return new ConsoleClient(base, more);
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null);
    }

    /** Sends a request; a body is sent as application/json. */
    HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.size(); i += 2) {
            request.header(headers.get(i), headers.get(i + 1));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }
}
