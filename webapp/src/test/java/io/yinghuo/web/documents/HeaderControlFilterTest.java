package io.yinghuo.web.documents;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class HeaderControlFilterTest {

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] filtered(byte[] body, String boundary, int chunk) throws IOException {
        InputStream in = new HeaderControlFilter(new ByteArrayInputStream(body), boundary);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[chunk];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            assertEquals(true, n > 0, "never a 0-byte read");
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void controlCharactersAreRemovedFromPartHeadersOnlyAndContentIsUntouched() throws IOException {
        // content with control bytes, CR LFs, a blank line and a near-delimiter
        String content = "a\u0001b\r\n\r\n\u007f\r\n--xy\r\n-\u001b\tend";
        String body = "--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"c\u0001o\u001bn\u007f\tt.txt\""
                + "\r\nContent-Type: text/plain\r\n\r\n" + content + "\r\n"
                + "--xyz\r\nContent-Disposition: form-data; name=\"collection\"\r\n\r\n\u0002col\r\n--xyz--\r\n";
        String expected = "--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"con\tt.txt\""
                + "\r\nContent-Type: text/plain\r\n\r\n" + content + "\r\n"
                + "--xyz\r\nContent-Disposition: form-data; name=\"collection\"\r\n\r\n\u0002col\r\n--xyz--\r\n";
        for (int chunk : new int[] {1, 3, 7, 8192}) {
            assertArrayEquals(bytes(expected), filtered(bytes(body), "xyz", chunk), "chunk " + chunk);
        }
    }

    @Test
    void theBoundaryIsReadFromTheContentType() {
        assertEquals("abc", HeaderControlFilter.boundary("multipart/form-data; boundary=abc"));
        assertEquals("a b", HeaderControlFilter.boundary("multipart/form-data;BOUNDARY=\"a b\"; charset=utf-8"));
        assertEquals(null, HeaderControlFilter.boundary("multipart/form-data"));
    }
}
