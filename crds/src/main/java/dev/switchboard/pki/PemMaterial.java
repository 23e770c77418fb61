package dev.switchboard.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads PEM certificates and private keys as Kubernetes Secrets hold them. Keys come as PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC
 * ({@code BEGIN EC PRIVATE KEY}): kubectl keeps what it is given and cert-manager writes PKCS#1
 * and SEC1 by default, while the JDK reads only PKCS#8, so BouncyCastle's parser does the reading
 * (the keys themselves stay JDK keys; no security provider is installed).
 */
public final class PemMaterial {
  private PemMaterial() {}

  /** A PEM text that cannot be used, with why in words. */
  public static final class Invalid extends Exception {
    public Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /** Every certificate in {@code pem}, in order; at least one. */
  public static List<X509Certificate> certificates(String pem) throws Invalid {
    if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new Invalid("holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> out = new ArrayList<>();
      for (var c : factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new Invalid("holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
      }
      return List.copyOf(out);
    } catch (CertificateException e) {
      throw new Invalid("holds a certificate that cannot be read (" + e.getMessage() + ")");
    }
  }

  /** The first private key in {@code pem}. */
  public static PrivateKey privateKey(String pem) throws Invalid {
    if (pem == null || pem.isBlank()) {
      throw new Invalid("is empty");
    }
    if (pem.contains("ENCRYPTED PRIVATE KEY") || pem.contains("Proc-Type: 4,ENCRYPTED")) {
      throw new Invalid("holds an encrypted private key; Kubernetes TLS Secrets hold unencrypted keys");
    }
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
      throw new Invalid("holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    } catch (IOException | RuntimeException e) {
      // Never the key's bytes in a message: only what kind of problem it is.
      throw new Invalid("holds a private key that cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Whether the key belongs to the certificate (the same public key). */
  public static boolean matches(PrivateKey key, X509Certificate certificate) {
    String algorithm = certificate.getPublicKey().getAlgorithm();
    String keyAlgorithm = key.getAlgorithm();
    if (!(algorithm.equals(keyAlgorithm) || (algorithm.equals("EC") && keyAlgorithm.equals("ECDSA")))) {
      return false;
    }
    try {
      String signing = switch (algorithm) {
        case "RSA" -> "SHA256withRSA";
        case "EC" -> "SHA256withECDSA";
        case "Ed25519", "EdDSA" -> "Ed25519";
        default -> "";
      };
      if (signing.isEmpty()) {
        return true; // an algorithm we cannot test here; the handshake will tell
      }
      byte[] probe = "switchboard".getBytes(StandardCharsets.US_ASCII);
      java.security.Signature signer = java.security.Signature.getInstance(signing);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      java.security.Signature verifier = java.security.Signature.getInstance(signing);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }
}
