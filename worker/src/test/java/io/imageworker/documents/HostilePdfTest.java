package io.imageworker.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionJavaScript;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionURI;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.junit.jupiter.api.Test;

/**
 * A PDF that points outside itself (a link's URI action, an image XObject whose data is in a remote file
 * named by its {@code /F}, a JavaScript open action, an embedded file) renders and reads its text without
 * any attempt to reach the network. Two witnesses: a local server that the PDF's URLs name, which must
 * accept no connection, and a {@link ProxySelector} that records every connection the JVM's URL and socket
 * code is about to make ({@code Socket.connect} asks it for {@code socket://host:port}, URL connections for
 * their URL), installed for the test's duration.
 */
class HostilePdfTest {

    @Test
    void nothingOutsideTheDocumentIsFetched() throws Exception {
        List<URI> attempts = new CopyOnWriteArrayList<>();
        ProxySelector previous = ProxySelector.getDefault();
        try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/secret.png";
            byte[] pdf = hostile(url);
            ProxySelector.setDefault(new ProxySelector() {
                @Override
                public List<Proxy> select(URI uri) {
                    attempts.add(uri);
                    return List.of(Proxy.NO_PROXY);
                }

                @Override
                public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
            });
            try (DocumentPages doc = DocumentPages.open(pdf, DocumentLimits.defaults())) {
                Page page = doc.page(1);
                assertThat(page.ok() || page.error().code().equals("corrupt-page")).as("a result, not a hang").isTrue();
                assertThat(doc.textLayer(1).text()).contains("Invoice");
            }
            server.setSoTimeout(200);
            boolean connected;
            try (Socket s = server.accept()) {
                connected = true;
            } catch (SocketTimeoutException e) {
                connected = false;
            }
            assertThat(connected).as("the PDF's server was contacted").isFalse();
            assertThat(attempts).as("connections the JVM was about to make").isEmpty();
        } finally {
            ProxySelector.setDefault(previous);
        }
        // the witness works: a real connection is seen
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                attempts.add(uri);
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
        });
        try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()));
            assertThat(attempts).hasSize(1);
        } finally {
            ProxySelector.setDefault(previous);
        }
    }

    /** One page with text, a link to {@code url}, an image whose data is at {@code url}, JavaScript and an attachment. */
    static byte[] hostile(String url) throws IOException {
        try (PDDocument d = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A5);
            d.addPage(page);
            // an image XObject whose stream data is in an external file (PDF 32000-1, 7.3.8.2: /F, /FFilter)
            COSStream image = d.getDocument().createCOSStream();
            image.setItem(COSName.TYPE, COSName.XOBJECT);
            image.setItem(COSName.SUBTYPE, COSName.IMAGE);
            image.setInt(COSName.WIDTH, 8);
            image.setInt(COSName.HEIGHT, 8);
            image.setInt(COSName.BITS_PER_COMPONENT, 8);
            image.setItem(COSName.COLORSPACE, COSName.DEVICEGRAY);
            COSDictionary remote = new COSDictionary();
            remote.setItem(COSName.FS, COSName.URL);
            remote.setString(COSName.F, url);
            image.setItem(COSName.F, remote);
            PDResources resources = new PDResources();
            resources.getCOSObject().setItem(COSName.XOBJECT, dict(COSName.getPDFName("Im1"), image));
            page.setResources(resources);
            try (PDPageContentStream cs = new PDPageContentStream(d, page)) {
                cs.beginText();
                cs.setFont(TestDocuments.HELVETICA, 18);
                cs.newLineAtOffset(40, 500);
                cs.showText("Invoice 42");
                cs.endText();
                cs.appendRawCommands("q 100 0 0 100 40 300 cm /Im1 Do Q\n".getBytes());
            }
            PDAnnotationLink link = new PDAnnotationLink();
            link.setRectangle(new PDRectangle(40, 40, 200, 40));
            PDActionURI uri = new PDActionURI();
            uri.setURI(url);
            link.setAction(uri);
            page.getAnnotations().add(link);
            d.getDocumentCatalog().setOpenAction(new PDActionJavaScript(
                    "app.launchURL('" + url + "'); this.submitForm('" + url + "');"));
            PDComplexFileSpecification spec = new PDComplexFileSpecification();
            spec.setFile("payload.exe");
            PDEmbeddedFile file = new PDEmbeddedFile(d, new java.io.ByteArrayInputStream("MZ payload".getBytes()));
            spec.setEmbeddedFile(file);
            PDEmbeddedFilesNameTreeNode files = new PDEmbeddedFilesNameTreeNode();
            files.setNames(java.util.Map.of("payload.exe", spec));
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(d.getDocumentCatalog());
            names.setEmbeddedFiles(files);
            d.getDocumentCatalog().setNames(names);
            return TestDocuments.save(d);
        }
    }

    private static COSDictionary dict(COSName key, COSStream value) {
        COSDictionary out = new COSDictionary();
        out.setItem(key, value);
        return out;
    }

}
