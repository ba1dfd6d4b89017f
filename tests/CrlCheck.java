// Java PKIX on a device CA's CRL (issue 20): each certificate given is validated against the CA
// as trust anchor with revocation checking on, the CRL (and no OCSP) as its only source. Prints
// "<file>: OK" or "<file>: <reason>" (REVOKED for a revoked one).
//   java tests/CrlCheck.java ca.pem crl.pem leaf1.pem leaf2.pem ...
import java.io.FileInputStream;
import java.security.cert.*;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

public class CrlCheck {
    public static void main(String[] args) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        X509Certificate ca = (X509Certificate) cf.generateCertificate(new FileInputStream(args[0]));
        X509CRL crl = (X509CRL) cf.generateCRL(new FileInputStream(args[1]));
        crl.verify(ca.getPublicKey()); // throws when the CA did not sign it
        for (int i = 2; i < args.length; i++) {
            X509Certificate leaf = (X509Certificate) cf.generateCertificate(new FileInputStream(args[i]));
            CertPath path = cf.generateCertPath(List.of(leaf));
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(List.of(crl))));
            CertPathValidator validator = CertPathValidator.getInstance("PKIX");
            PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
            checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS, PKIXRevocationChecker.Option.NO_FALLBACK));
            params.setRevocationEnabled(true);
            params.addCertPathChecker(checker);
            try {
                validator.validate(path, params);
                System.out.println(args[i] + ": OK");
            } catch (CertPathValidatorException e) {
                System.out.println(args[i] + ": " + e.getReason());
            }
        }
    }
}
