// Two-way TLS the way Tempus' MQTT transport does it, for the interop tests (JDK 17 single-file
// source launcher: `java tests/TempusTls.java ...`).
//
//   server KEYSTORE TYPE STOREPASS KEYPASS PORT ID[,ID...]
//     Loads the server key store (JKS or PKCS12) with the store and key passwords, like the
//     platform's transport, asks every client for a certificate, and accepts one only if its
//     credentials id (SHA3-256 over the Base64 of the certificate's DER, as the platform's trust
//     manager computes it) is registered. Prints READY, then answers each line with
//     "hello <subject CN>" until killed.
//   client KEYSTORE TYPE STOREPASS KEYPASS PORT MESSAGE
//     A Java device: its key entry for client auth, and the trusted server entry of the same key
//     store to trust the server. Prints the server's reply.
import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.security.*;
import java.security.cert.*;
import java.util.*;
import javax.net.ssl.*;

public class TempusTls {
    static KeyStore load(String path, String type, String storePass) throws Exception {
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = new FileInputStream(path)) {
            ks.load(in, storePass.toCharArray());
        }
        return ks;
    }

    static String credentialsId(X509Certificate cert) throws Exception {
        String b64 = Base64.getEncoder().encodeToString(cert.getEncoded());
        byte[] hash = MessageDigest.getInstance("SHA3-256").digest(b64.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder();
        for (byte b : hash) sb.append(String.format("%02x", b));
        return sb.toString();
    }

    public static void main(String[] a) throws Exception {
        String mode = a[0], path = a[1], type = a[2], storePass = a[3], keyPass = a[4];
        int port = Integer.parseInt(a[5]);
        KeyStore ks = load(path, type, storePass);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, keyPass.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        if (mode.equals("server")) {
            Set<String> registered = new HashSet<>(Arrays.asList(a[6].split(",")));
            TrustManager byId = new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] chain, String auth) throws CertificateException {
                    try {
                        String id = credentialsId(chain[0]);
                        chain[0].checkValidity();
                        if (!registered.contains(id)) throw new CertificateException("Invalid Device Certificate: " + id);
                    } catch (CertificateException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new CertificateException(e);
                    }
                }
                public void checkServerTrusted(X509Certificate[] chain, String auth) throws CertificateException {
                    throw new CertificateException("not a client");
                }
                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            };
            ctx.init(kmf.getKeyManagers(), new TrustManager[] {byId}, null);
            SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
                .createServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
            server.setNeedClientAuth(true);
            System.out.println("READY");
            System.out.flush();
            while (true) {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(10000);
                    s.startHandshake();
                    X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    String line = in.readLine();
                    Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8);
                    out.write("hello " + peer.getSubjectX500Principal().getName() + " you said " + line + "\n");
                    out.flush();
                    System.out.println("ACCEPTED " + credentialsId(peer));
                } catch (Exception e) {
                    System.out.println("REFUSED " + e);
                }
                System.out.flush();
            }
        } else {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks); // the trusted server entry
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
                s.setSoTimeout(10000);
                s.startHandshake();
                Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8);
                out.write(a[6] + "\n");
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                System.out.println(in.readLine());
            }
        }
    }
}
