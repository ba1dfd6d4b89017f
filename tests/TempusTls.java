// Two-way TLS the way Tempus' MQTT transport does it, for the interop tests (JDK 17 single-file
// source launcher: `java tests/TempusTls.java ...`).
//
//   server KEYSTORE TYPE STOREPASS KEYPASS PORT ID[,ID...]
//     Loads the server key store (JKS or PKCS12) with the store and key passwords, like the
//     platform's transport, asks every client for a certificate, and accepts one only if its
//     credentials id (SHA3-256 over the Base64 of the certificate's DER, as the platform's trust
//     manager computes it) is registered. Prints READY, then answers each line with
//     "hello <subject CN>" until killed.
//   server KEYSTORE TYPE STOREPASS KEYPASS PORT ID[,ID...] PROFILE_CA_PEM CN_REGEX
//     The same, plus ThingsBoard's X.509 chain provisioning (tempus-reference.md, section 7): a
//     device profile holding the CA certificate PROFILE_CA_PEM. A client whose leaf is not
//     registered is looked up by the id of each certificate of the chain it sent; on the
//     profile CA's id, the leaf is checked against that CA (stricter than the platform: its
//     signature with the profile CA's key, its issuer name, both validities), the device name is
//     capture group 1 of CN_REGEX on the leaf's CN, and the device is created: its leaf's id is
//     registered and "PROVISIONED <name> <id>" printed. Use "-" for no registered ids.
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
            Set<String> registered = Collections.synchronizedSet(new HashSet<>(Arrays.asList(a[6].split(","))));
            X509Certificate profileCa = null;
            if (a.length > 8) {
                try (InputStream in = new FileInputStream(a[7])) {
                    profileCa = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
                }
            }
            final X509Certificate ca = profileCa;
            final java.util.regex.Pattern cnPattern = a.length > 8 ? java.util.regex.Pattern.compile(a[8]) : null;
            TrustManager byId = new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] chain, String auth) throws CertificateException {
                    try {
                        String id = credentialsId(chain[0]);
                        StringBuilder ids = new StringBuilder();
                        for (X509Certificate c : chain) ids.append(' ').append(credentialsId(c));
                        System.out.println("CHAIN " + chain.length + ids);
                        chain[0].checkValidity();
                        if (!registered.contains(id) && ca != null) {
                            String caId = credentialsId(ca);
                            for (X509Certificate c : chain) {
                                if (!credentialsId(c).equals(caId)) continue;
                                ca.checkValidity();
                                if (!chain[0].getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
                                    throw new CertificateException("the leaf's issuer is not the profile's CA");
                                }
                                chain[0].verify(ca.getPublicKey()); // throws SignatureException for a stranger's leaf
                                String cn = null;
                                for (String rdn : chain[0].getSubjectX500Principal().getName().split(",")) {
                                    if (rdn.startsWith("CN=")) cn = rdn.substring(3);
                                }
                                java.util.regex.Matcher m = cnPattern.matcher(cn == null ? "" : cn);
                                if (!m.matches()) throw new CertificateException("CN " + cn + " does not match " + cnPattern);
                                registered.add(id);
                                System.out.println("PROVISIONED " + m.group(1) + " " + id);
                                System.out.flush();
                                break;
                            }
                        }
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
