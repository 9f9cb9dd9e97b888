package io.yinghuo.retrieval.archfixture;

import org.apache.solr.client.solrj.SolrQuery;

/** Breaks a dependency rule on purpose: DependencyRulesTest shows the rule reports it. Never imported as production. */
public class RetrievalClassUsingSolrJ {
    public String query(SolrQuery query) {
        return String.valueOf(query);
    }
}
