package io.yinghuo.web;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * How the server listens and what it accepts.
 *
 * @param host address to bind; loopback by default, anything else requires {@code apiKey}
 * @param port TCP port (0 = any free port, for tests)
 * @param apiKey the key every API call and page needs, or null (allowed on loopback only)
 * @param maxFileBytes largest file one upload may contain
 * @param maxFilesPerUpload most files in one upload request
 * @param maxJsonBytes largest JSON request body (chat histories included)
 * @param maxQueuedGenerations most generation requests waiting for the model; more are refused with 503
 */
public record ServerOptions(String host, int port, String apiKey, long maxFileBytes, int maxFilesPerUpload,
                            int maxJsonBytes, int maxQueuedGenerations) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_FILE_BYTES = 50L << 20;
    public static final int DEFAULT_MAX_FILES = 20;

    public ServerOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
        }
        if (apiKey != null && apiKey.isBlank()) {
            apiKey = null;
        }
        if (apiKey != null && apiKey.length() < 8) {
            throw new IllegalArgumentException("the API key must be at least 8 characters");
        }
        if (maxFileBytes < 1 || maxFilesPerUpload < 1 || maxJsonBytes < 1024 || maxQueuedGenerations < 1) {
            throw new IllegalArgumentException("upload and request limits must be positive");
        }
        if (apiKey == null && !isLoopback(host)) {
            throw new IllegalArgumentException("--host " + host + " exposes the server beyond this machine: give an"
                    + " API key with --api-key KEY or the environment variable YINGHUO_API_KEY (every page and API"
                    + " then requires it)");
        }
    }

    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_HOST, DEFAULT_PORT, null, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES,
                4 << 20, 64);
    }

    public ServerOptions withHost(String value) {
        return new ServerOptions(value, port, apiKey, maxFileBytes, maxFilesPerUpload, maxJsonBytes,
                maxQueuedGenerations);
    }

    public ServerOptions withPort(int value) {
        return new ServerOptions(host, value, apiKey, maxFileBytes, maxFilesPerUpload, maxJsonBytes,
                maxQueuedGenerations);
    }

    public ServerOptions withApiKey(String value) {
        return new ServerOptions(host, port, value, maxFileBytes, maxFilesPerUpload, maxJsonBytes,
                maxQueuedGenerations);
    }

    public ServerOptions withMaxFileBytes(long value) {
        return new ServerOptions(host, port, apiKey, value, maxFilesPerUpload, maxJsonBytes, maxQueuedGenerations);
    }

    public ServerOptions withMaxFilesPerUpload(int value) {
        return new ServerOptions(host, port, apiKey, maxFileBytes, value, maxJsonBytes, maxQueuedGenerations);
    }

    public ServerOptions withMaxJsonBytes(int value) {
        return new ServerOptions(host, port, apiKey, maxFileBytes, maxFilesPerUpload, value, maxQueuedGenerations);
    }

    public ServerOptions withMaxQueuedGenerations(int value) {
        return new ServerOptions(host, port, apiKey, maxFileBytes, maxFilesPerUpload, maxJsonBytes, value);
    }

    /** Largest upload request: every file at its limit plus room for the multipart framing. */
    public long maxUploadRequestBytes() {
        return maxFileBytes * maxFilesPerUpload + (1 << 20);
    }

    public boolean loopbackOnly() {
        return isLoopback(host);
    }

    /** Whether binding this host keeps the server reachable from this machine only. */
    public static boolean isLoopback(String host) {
        String h = host.strip();
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|\\[?[0-9a-fA-F:.]+]?")) {
            return false; // a name other than localhost: do not resolve it here, treat it as exposed
        }
        try {
            return InetAddress.getByName(h.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
