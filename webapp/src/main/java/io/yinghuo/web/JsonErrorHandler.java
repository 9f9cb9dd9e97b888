package io.yinghuo.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Jetty's own errors, raised before any route runs (a URI Jetty refuses such as {@code %2F} or {@code /../} in a
 * path, 414 URI too long, 431 headers too large, 400 unparsable request), in the same JSON error shape as every
 * other error instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    JsonErrorHandler() {
        setShowStacks(false);
        setShowServlet(false);
        setShowMessageInTitle(false);
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        baseRequest.setHandled(true);
        if (response.isCommitted()) {
            return;
        }
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String reason = message instanceof String s ? s : baseRequest.getResponse().getReason();
        String uri = request.getRequestURI();
        Messages.Lang lang = uri != null && uri.startsWith("/v1") ? Messages.Lang.EN
                : Messages.fromAcceptLanguage(request.getHeader("Accept-Language"));
        byte[] body = body(response.getStatus(), reason, lang);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json;charset=utf-8");
        response.setContentLength(body.length);
        if ("HEAD".equals(request.getMethod())) {
            return;
        }
        try {
            response.getOutputStream().write(body);
        } catch (IllegalStateException e) { // someone already took the writer
            response.getWriter().write(new String(body, StandardCharsets.UTF_8));
        }
    }

    /** Requests Jetty could not parse (414, 431, 400): no request object exists yet. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8"));
        fields.put(new HttpField(HttpHeader.CACHE_CONTROL, "no-store"));
        return ByteBuffer.wrap(body(status, reason));
    }

    static byte[] body(int status, String reason) {
        return body(status, reason, Messages.Lang.EN);
    }

    static byte[] body(int status, String reason, Messages.Lang lang) {
        if (reason != null && reason.equalsIgnoreCase(HttpStatus.getMessage(status))) {
            reason = null; // "Bad Request" after "the request could not be understood" says nothing new
        }
        return Json.write(ErrorResponses.body(ErrorResponses.forStatus(status, reason), lang))
                .getBytes(StandardCharsets.UTF_8);
    }
}
