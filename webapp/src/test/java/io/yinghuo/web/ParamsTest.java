package io.yinghuo.web;

import io.javalin.http.Context;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** An integer query parameter: absent or blank takes the default, spaces around it are fine, anything else is a 400. */
class ParamsTest {

    /** A request with these query parameters; nothing else of the context is used. */
    private static Context query(Map<String, String> params) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[]{Context.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("queryParam")) {
                        return params.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void absentOrBlankTakesTheDefault() {
        assertEquals(20, Params.intParam(query(Map.of()), "limit", 20));
        assertEquals(20, Params.intParam(query(Map.of("limit", " ")), "limit", 20));
    }

    @Test
    void aNumberIsReadWithSpacesAround() {
        assertEquals(7, Params.intParam(query(Map.of("limit", " 7 ")), "limit", 20));
        assertEquals(-3, Params.intParam(query(Map.of("offset", "-3")), "offset", 0));
    }

    @Test
    void anythingElseIsA400NamingTheParameter() {
        ApiException e = assertThrows(ApiException.class,
                () -> Params.intParam(query(Map.of("limit", "十")), "limit", 20));
        assertEquals(400, e.status());
        assertEquals("limit", e.param());
        assertEquals("limit must be an integer, got \"十\"", e.getMessage());
    }
}
