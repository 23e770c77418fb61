package dev.switchboard.proxy.testing;

import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made in the test: CAs, server certificates with chosen names and dates, client
 * certificates, and keys written as PKCS#8, PKCS#1 RSA or SEC1 EC PEM, as kubectl and
 * cert-manager leave them in Secrets.
 */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private TestPki() {}

  /** How a private key is written. */
  public enum KeyForm { PKCS8_RSA, PKCS1_RSA, PKCS8_EC, SEC1_EC }

  /** A certificate and its key. */
  public record Issued(X509Certificate certificate, PrivateKey key, KeyForm form, List<X509Certificate> chain) {
    public String certificatePem() {
      StringBuilder out = new StringBuilder();
      for (X509Certificate c : chain) {
        out.append(pem(c));
      }
      return out.toString();
    }

    public String keyPem() {
      return TestPki.keyPem(key, form);
    }

    /** A server TLS setup presenting this certificate; with {@code clientCas}, client certificates signed by them are required. */
    public Tls serverTls(Ca... clientCas) {
      var b = Tls.builder().privateKey(key).privateKeyCertChain(chain);
      if (clientCas.length > 0) {
        List<X509Certificate> trust = new ArrayList<>();
        for (Ca ca : clientCas) {
          trust.add(ca.certificate());
        }
        b.trust(trust).clientAuth(TlsClientAuth.REQUIRED);
      }
      return b.build();
    }
  }

  /** A certificate authority. */
  public record Ca(X509Certificate certificate, PrivateKey key, String name) {
    public String pem() {
      return TestPki.pem(certificate);
    }

    /** A server certificate for 127.0.0.1 and localhost, valid now. */
    public Issued server() {
      return issue("upstream", List.of("localhost"), List.of("127.0.0.1"), Instant.now().minus(Duration.ofHours(1)),
          Instant.now().plus(Duration.ofDays(30)), KeyForm.PKCS8_EC);
    }

    public Issued client(String name, KeyForm form) {
      return issue(name, List.of(), List.of(), Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(30)), form);
    }

    public Issued issue(String cn, List<String> dnsNames, List<String> ips, Instant notBefore, Instant notAfter, KeyForm form) {
      try {
        KeyPair pair = keyPair(form);
        var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + name), BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + cn), pair.getPublic());
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
        ips.forEach(n -> names.add(new GeneralName(GeneralName.iPAddress, n)));
        if (!names.isEmpty()) {
          builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        }
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
            builder.build(new JcaContentSignerBuilder(signing(key)).build(key)));
        return new Issued(cert, pair.getPrivate(), form, List.of(cert));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public static Ca ca(String name) {
    try {
      KeyPair pair = keyPair(KeyForm.PKCS8_EC);
      Instant now = Instant.now();
      var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + name), BigInteger.valueOf(SERIAL.incrementAndGet()),
          Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), new X500Name("CN=" + name), pair.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      return new Ca(cert, pair.getPrivate(), name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair(KeyForm form) throws Exception {
    if (form == KeyForm.PKCS8_RSA || form == KeyForm.PKCS1_RSA) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    }
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static String signing(PrivateKey key) {
    return key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
  }

  public static String pem(X509Certificate certificate) {
    return write(certificate);
  }

  static String keyPem(PrivateKey key, KeyForm form) {
    try {
      return switch (form) {
        case PKCS8_RSA, PKCS8_EC -> write(new PemObject("PRIVATE KEY", key.getEncoded()));
        // Written by BouncyCastle's OpenSSL writer: RSA as "RSA PRIVATE KEY" (PKCS#1), EC as "EC PRIVATE KEY" (SEC1).
        case PKCS1_RSA -> write(new JcaMiscPEMGenerator(key).generate());
        case SEC1_EC -> {
          // With the curve inside, as openssl and cert-manager write it (the JDK's encoding keeps it outside).
          var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
          var inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
          var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters());
          yield write(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }
      };
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String write(Object o) {
    try (StringWriter out = new StringWriter(); JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(o);
      writer.flush();
      return out.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
