package io.yinghuo.web.documents;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A multipart/form-data body with the control characters (other than tab, CR and LF) removed from the part
 * headers, and nothing else changed: Jetty's multipart parser refuses a whole upload over one such character in a
 * file name, which some clients send as they are. The part contents pass through untouched: the filter only leaves
 * the content state after a complete delimiter line ({@code CRLF--boundary}), which by definition never occurs
 * inside a part.
 */
final class HeaderControlFilter extends FilterInputStream {

    private enum State { BODY, DELIMITER_LINE, HEADERS }

    private final byte[] delimiter;
    private final int[] fallback;
    private State state = State.BODY;
    private int matched = 2; // the first delimiter may open the body without a CRLF before it
    private boolean lineEmpty;

    HeaderControlFilter(InputStream in, String boundary) {
        super(in);
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.fallback = new int[delimiter.length + 1];
        // Knuth-Morris-Pratt: the longest proper prefix of delimiter[0, i) that is also its suffix
        fallback[0] = -1;
        for (int i = 1, k = -1; i <= delimiter.length; i++) {
            while (k >= 0 && delimiter[k] != delimiter[i - 1]) {
                k = fallback[k];
            }
            fallback[i] = ++k;
        }
    }

    /** The boundary parameter of a multipart content type, or null. */
    static String boundary(String contentType) {
        for (String parameter : contentType.split(";")) {
            String p = parameter.strip();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                String value = p.substring(9).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        int r = read(new byte[(int) Math.min(n, 8192)]); // through the filter, to keep its state
        return Math.max(r, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            int n = in.read(b, off, len);
            if (n <= 0) {
                return n;
            }
            int out = off;
            for (int i = off; i < off + n; i++) {
                byte c = b[i];
                if (keep(c)) {
                    b[out++] = c;
                }
            }
            if (out > off) {
                return out - off;
            }
            // every byte was dropped: read on rather than answer 0
        }
    }

    /** Advances the state over one byte; false to drop it. */
    private boolean keep(byte c) {
        switch (state) {
            case BODY -> {
                while (matched >= 0 && (matched == delimiter.length || delimiter[matched] != c)) {
                    matched = fallback[matched];
                }
                matched++;
                if (matched == delimiter.length) {
                    state = State.DELIMITER_LINE;
                    matched = 0;
                }
                return true;
            }
            case DELIMITER_LINE -> {
                if (c == '\n') {
                    state = State.HEADERS;
                    lineEmpty = true;
                }
                return true;
            }
            default -> {
                if (c == '\n') {
                    if (lineEmpty) {
                        state = State.BODY;
                        matched = 0;
                    }
                    lineEmpty = true;
                    return true;
                }
                if (c == '\r') {
                    return true;
                }
                if ((c >= 0 && c < 0x20 && c != '\t') || c == 0x7F) {
                    return false;
                }
                lineEmpty = false;
                return true;
            }
        }
    }
}
