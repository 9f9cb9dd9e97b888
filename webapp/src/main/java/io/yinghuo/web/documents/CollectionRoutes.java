package io.yinghuo.web.documents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.yinghuo.ingest.pipeline.CollectionException;
import io.yinghuo.ingest.pipeline.IngestPipeline;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.CollectionRecord;
import io.yinghuo.web.ApiException;
import io.yinghuo.web.Json;

import java.io.IOException;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code /api/collections}: the collections (knowledge bases) of the data folder, created, renamed and deleted.
 *
 * <p>Names travel in the JSON body or the query string, never in the path: a name may hold "/" or "%", which
 * servers refuse or decode ambiguously in a path segment.
 */
public final class CollectionRoutes {

    private final ChunkStore index;
    private final IngestPipeline pipeline;

    public CollectionRoutes(ChunkStore index, IngestPipeline pipeline) {
        this.index = index;
        this.pipeline = pipeline;
    }

    /** {@code GET /api/collections}: {@code {collections: [{name, documents, created_at, default}]}}, by name. */
    public void list(Context ctx) {
        ArrayNode all = Json.MAPPER.createArrayNode();
        for (CollectionRecord collection : index.collections()) {
            all.add(json(collection));
        }
        ObjectNode body = Json.object();
        body.set("collections", all);
        ctx.json(body);
    }

    /** {@code POST /api/collections {name}}: 201 with the new collection; 409 when the name is taken. */
    public void create(Context ctx) throws IOException {
        String name = text(Json.parseObject(ctx.bodyAsBytes()), "name");
        try {
            ctx.status(201).json(json(pipeline.createCollection(name)));
        } catch (CollectionException e) {
            throw refusal(e, "name");
        }
    }

    /** {@code POST /api/collections/rename {from, to}}: the renamed collection; its documents keep their ids. */
    public void rename(Context ctx) throws IOException {
        ObjectNode body = Json.parseObject(ctx.bodyAsBytes());
        String from = text(body, "from");
        String to = text(body, "to");
        try {
            ctx.json(json(pipeline.renameCollection(from, to)));
        } catch (CollectionException e) {
            throw refusal(e, e.reason() == CollectionException.Reason.NOT_FOUND
                    || e.reason() == CollectionException.Reason.DEFAULT_COLLECTION ? "from" : "to");
        }
    }

    /** {@code DELETE /api/collections?name=NAME}: deletes it with its documents; {@code {deleted_documents}}. */
    public void delete(Context ctx) throws IOException {
        String name = ctx.queryParam("name");
        if (name == null) {
            throw ApiException.badRequest("name", "name is required").localized("error.field_required", "name");
        }
        try {
            int deleted = pipeline.deleteCollection(name);
            ObjectNode body = Json.object();
            body.put("deleted_documents", deleted);
            ctx.json(body);
        } catch (CollectionException e) {
            throw refusal(e, "name");
        }
    }

    static ObjectNode json(CollectionRecord collection) {
        ObjectNode o = Json.object();
        o.put("name", collection.name());
        o.put("documents", collection.documents());
        o.put("created_at", collection.createdAtMillis() == 0 ? null
                : Instant.ofEpochMilli(collection.createdAtMillis()).toString());
        o.put("default", collection.isDefault());
        return o;
    }

    /** The refusal as an API error: 404 for an unknown collection, 409 for a taken name, 400 otherwise. */
    public static ApiException refusal(CollectionException e, String param) {
        String key = "collection." + e.reason().name().toLowerCase(Locale.ROOT);
        ApiException error = switch (e.reason()) {
            case NOT_FOUND -> ApiException.notFound(e.getMessage());
            case EXISTS -> new ApiException(409, "invalid_request_error", "conflict", param, e.getMessage());
            default -> ApiException.badRequest(param, e.getMessage());
        };
        return error.localized(key, e.name());
    }

    private static String text(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            throw ApiException.badRequest(field, field + " is required").localized("error.field_required", field);
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest(field, field + " must be a string").localized("error.field_not_string",
                    field);
        }
        return node.asText();
    }
}
