package io.desire.tools.demo.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The page server's HTTP plumbing: JSON answers, request bodies read up to a limit, query strings,
 * and {@link ApiException} for answers that are the client's fault (a 4xx with a message, never a
 * stack trace).
 */
final class HttpJson {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Largest request body the API reads; a larger one is refused with 413. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    private HttpJson() {}

    /** An answer with a 4xx status and a message for the page: what was wrong and what is expected. */
    static final class ApiException extends Exception {
        final int status;

        ApiException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
        ex.close();
    }

    static void sendError(HttpExchange ex, int status, String message) throws IOException {
        send(ex, status, Map.of("error", message, "status", status));
    }

    /** The request body as JSON: 413 above {@link #MAX_BODY_BYTES}, 415 if not JSON, 400 if unreadable. */
    static JsonNode body(HttpExchange ex) throws IOException, ApiException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "the body must be JSON (Content-Type: application/json), got " + type);
        }
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > MAX_BODY_BYTES) {
                    throw new ApiException(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
                }
            } catch (NumberFormatException e) {
                throw new ApiException(400, "Content-Length is not a number");
            }
        }
        byte[] bytes;
        try (InputStream in = ex.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        if (bytes.length == 0) {
            throw new ApiException(400, "the body is empty; expected a JSON object");
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new ApiException(400, "the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The decoded query parameters (the last value of a repeated name wins). */
    static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed escape: the parameter is left out and validated as missing
            }
        }
        return out;
    }
}
