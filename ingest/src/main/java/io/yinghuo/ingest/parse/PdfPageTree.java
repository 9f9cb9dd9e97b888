package io.yinghuo.ingest.parse;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Counts the pages a PDF's page tree really holds, before anything trusts its declared counts. Each node of the tree
 * declares in {@code /Count} how many pages lie below it (PDF 32000-1:2008, 7.7.3.2 "Page Tree Nodes"), and PDFBox
 * takes the root's word for the number of pages: a 794-byte file declaring {@code /Count 2147483647} made the parser
 * size its lists for two billion pages and fill the heap. Here the tree is walked without recursion, with caps on its
 * depth and on the pages it may hold; every node's {@code /Count} is then set to what lies below it, so that PDFBox's
 * page count and page lookup agree with the walk. A node reached twice (a loop, or a page listed twice) is counted
 * once, as PDFBox's page iterator reads it once.
 */
final class PdfPageTree {

    /** Far beyond real documents (a 100 MB PDF of text runs to a few thousand pages). */
    static final int MAX_PAGES = 100_000;
    /**
     * Producers build balanced trees a few levels deep; PDFBox walks the tree recursively, so a deeper chain could
     * exhaust the stack.
     */
    static final int MAX_DEPTH = 64;

    /** What the walk found: the pages really present and the count the root declared (-1 when none). */
    record Count(int pages, long declared) {

        /** Whether the root declared a count, and a wrong one. */
        boolean declaredWrongly() {
            return declared >= 0 && declared != pages;
        }
    }

    private PdfPageTree() {
    }

    /**
     * Walks and repairs the tree.
     *
     * @throws DocumentParseException {@link DocumentParseException.Reason#TOO_COMPLEX} when the tree is deeper than
     *     {@value #MAX_DEPTH} levels or holds more than {@value #MAX_PAGES} pages
     */
    static Count check(String fileName, PDDocument pdf) throws DocumentParseException {
        COSDictionary root = pdf.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.PAGES);
        if (root == null) {
            return new Count(0, -1);
        }
        long declared = root.getLong(COSName.COUNT, -1);
        if (!isTreeNode(root)) {
            return new Count(1, -1); // a lone page where the tree should be: PDFBox reads it as the only page
        }
        Set<COSDictionary> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> open = new ArrayDeque<>();
        seen.add(root);
        open.push(new Node(root, kids(root), 1));
        int pages = 0;
        while (!open.isEmpty()) {
            ParseBudget.checkCurrent();
            Node node = open.peek();
            if (node.kids == null || node.next >= node.kids.size()) {
                open.pop();
                node.dictionary.setInt(COSName.COUNT, node.pages);
                if (!open.isEmpty()) {
                    open.peek().pages += node.pages;
                }
                continue;
            }
            COSBase kid = node.kids.getObject(node.next++);
            if (!(kid instanceof COSDictionary dictionary) || !seen.add(dictionary)) {
                continue;
            }
            if (isTreeNode(dictionary)) {
                if (node.depth + 1 > MAX_DEPTH) {
                    throw new DocumentParseException(fileName, DocumentParseException.Reason.TOO_COMPLEX,
                            "the PDF's page tree is nested more than " + MAX_DEPTH + " levels deep, refusing");
                }
                open.push(new Node(dictionary, kids(dictionary), node.depth + 1));
            } else {
                node.pages++;
                if (++pages > MAX_PAGES) {
                    throw new DocumentParseException(fileName, DocumentParseException.Reason.TOO_COMPLEX,
                            "the PDF has more than " + MAX_PAGES + " pages, refusing");
                }
            }
        }
        return new Count(pages, declared);
    }

    /** As PDFBox decides: a node has the type /Pages or, where producers left the type out, a /Kids array. */
    private static boolean isTreeNode(COSDictionary dictionary) {
        return COSName.PAGES.equals(dictionary.getCOSName(COSName.TYPE)) || dictionary.containsKey(COSName.KIDS);
    }

    private static COSArray kids(COSDictionary node) {
        return node.getCOSArray(COSName.KIDS);
    }

    /** A tree node being walked: its kids, the next one to visit, and the pages found below it so far. */
    private static final class Node {
        final COSDictionary dictionary;
        final COSArray kids;
        final int depth;
        int next;
        int pages;

        Node(COSDictionary dictionary, COSArray kids, int depth) {
            this.dictionary = dictionary;
            this.kids = kids;
            this.depth = depth;
        }
    }
}
