package io.yinghuo.model.constrain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounds a grammar is built under, exactly at their edges, and the names its messages use. */
class GrammarBuilderTest {

    @Test
    void exactlyTheMostRulesAreBuiltAndOneMoreIsRefused() {
        GrammarBuilder builder = new GrammarBuilder();
        for (int i = 0; i < GrammarBuilder.MAX_RULES; i++) {
            builder.newRule("r");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder.newRule("r"));
        assertTrue(e.getMessage().startsWith("the schema is too large to follow: it needs more than 50000 grammar"
                + " rules"), e.getMessage());
    }

    @Test
    void exactlyTheMostElementsAreBuiltAndOneMoreIsRefused() {
        GrammarBuilder builder = new GrammarBuilder();
        int rule = builder.newRule("r");
        List<GrammarElement> thousand = GrammarElement.literal("x".repeat(1000));
        for (int i = 0; i < GrammarBuilder.MAX_ELEMENTS / 1000; i++) {
            builder.addAlternative(rule, thousand);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder.addAlternative(rule, GrammarElement.literal("x")));
        assertTrue(e.getMessage().contains("more than 500000 grammar elements"), e.getMessage());
    }

    @Test
    void aLongRuleNameKeepsItsEndAndARuleWithoutAlternativesIsNamedWhenRefused() {
        GrammarBuilder builder = new GrammarBuilder();
        String exact = "p".repeat(GrammarBuilder.MAX_NAME_CHARS);
        assertEquals(exact, builder.name(builder.newRule(exact)));
        String deep = "root" + "/properties/child".repeat(50) + "/items";
        String kept = builder.name(builder.newRule(deep));
        assertEquals(GrammarBuilder.MAX_NAME_CHARS, kept.length());
        assertEquals("…" + deep.substring(deep.length() - GrammarBuilder.MAX_NAME_CHARS + 1), kept);

        GrammarBuilder empty = new GrammarBuilder();
        int root = empty.rule("root", GrammarElement.literal("a"));
        empty.newRule("root/properties/never");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> empty.build(root));
        assertEquals("grammar rule 'root/properties/never' matches nothing", e.getMessage());
    }
}
