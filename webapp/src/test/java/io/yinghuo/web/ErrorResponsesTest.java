package io.yinghuo.web;

import io.javalin.http.HttpResponseException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Errors raised by Jetty or Javalin before our routes run get the same JSON error as ours: a code a client can
 * branch on, the server/client split of OpenAI's {@code type}, and Jetty's reason only where it says something.
 */
class ErrorResponsesTest {

    @Test
    void jettysStatusesGetTheirOwnCodesAndItsReasonOnlyWhenItSaysSomething() {
        ApiException ambiguous = ErrorResponses.forStatus(400, "Ambiguous URI path separator");
        assertEquals("bad_request", ambiguous.code());
        assertEquals("the request could not be understood: bad request line, URI or headers"
                + " (Ambiguous URI path separator)", ambiguous.getMessage());
        assertEquals("the request could not be understood: bad request line, URI or headers",
                ErrorResponses.forStatus(400, "400").getMessage(), "a bare number is no reason");
        assertEquals("the request could not be understood: bad request line, URI or headers",
                ErrorResponses.forStatus(400, " ").getMessage());
        assertEquals("not_found", ErrorResponses.forStatus(404, null).code());
        assertEquals("method_not_allowed", ErrorResponses.forStatus(405, null).code());
        assertEquals("uri_too_long", ErrorResponses.forStatus(414, "URI is too large").code());
        assertEquals("headers_too_large", ErrorResponses.forStatus(431, null).code());
        assertEquals(413, ErrorResponses.forStatus(413, null).status());
        assertEquals(415, ErrorResponses.forStatus(415, null).status());

        ApiException teapot = ErrorResponses.forStatus(418, "I'm a teapot");
        assertEquals("http_418 invalid_request_error HTTP 418 (I'm a teapot)",
                teapot.code() + " " + teapot.type() + " " + teapot.getMessage());
        ApiException unavailable = ErrorResponses.forStatus(503, null);
        assertEquals("internal_error server_error HTTP 503",
                unavailable.code() + " " + unavailable.type() + " " + unavailable.getMessage());
        assertEquals("server_error", ErrorResponses.forStatus(500, null).type());
        assertEquals("invalid_request_error", ErrorResponses.forStatus(499, null).type());
    }

    @Test
    void javalinsExceptionsKeepTheirStatusAndMessage() {
        ApiException tooLarge = ErrorResponses.fromJavalin(new HttpResponseException(413, "body over 5 MB", Map.of()));
        assertEquals(413, tooLarge.status());
        assertEquals("body over 5 MB", tooLarge.getMessage());
        assertEquals("not_found", ErrorResponses.fromJavalin(new HttpResponseException(404, "", Map.of())).code());
        assertEquals("HTTP 404",
                ErrorResponses.fromJavalin(new HttpResponseException(404, " ", Map.of())).getMessage());
        assertEquals(415, ErrorResponses.fromJavalin(new HttpResponseException(415, "x", Map.of())).status());
        assertEquals("method_not_allowed",
                ErrorResponses.fromJavalin(new HttpResponseException(405, "x", Map.of())).code());
        ApiException bad = ErrorResponses.fromJavalin(new HttpResponseException(400, "Couldn't deserialize", Map.of()));
        assertEquals("http_400 invalid_request_error Couldn't deserialize",
                bad.code() + " " + bad.type() + " " + bad.getMessage());
        ApiException gateway = ErrorResponses.fromJavalin(new HttpResponseException(502, "upstream", Map.of()));
        assertEquals("http_502 server_error", gateway.code() + " " + gateway.type());
        assertEquals("invalid_request_error",
                ErrorResponses.fromJavalin(new HttpResponseException(499, "x", Map.of())).type());
        assertEquals("server_error",
                ErrorResponses.fromJavalin(new HttpResponseException(500, "x", Map.of())).type());
    }

    @Test
    void theBodyIsOpenAisErrorShape() {
        assertEquals("{\"error\":{\"message\":\"m\",\"type\":\"t\",\"param\":\"p\",\"code\":\"c\"}}",
                Json.write(ErrorResponses.body("m", "t", "p", "c")));
    }
}
