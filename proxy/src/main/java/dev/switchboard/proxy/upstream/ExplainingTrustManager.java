package dev.switchboard.proxy.upstream;

import dev.switchboard.config.BackendTls;
import java.net.Socket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's verification, with its refusals put in words an operator can act on: who issued a
 * certificate nobody trusts, which names a certificate is for, when it expired. The words travel
 * as a {@link Refusal} inside the handshake exception up to the backend's status.
 */
final class ExplainingTrustManager extends X509ExtendedTrustManager {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_INSTANT;

  /** A certificate refused, with the reason in words. */
  static final class Refusal extends CertificateException {
    Refusal(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final X509ExtendedTrustManager delegate;
  private final BackendTls tls;

  private ExplainingTrustManager(X509ExtendedTrustManager delegate, BackendTls tls) {
    this.delegate = delegate;
    this.tls = tls;
  }

  static X509ExtendedTrustManager wrap(X509ExtendedTrustManager delegate, BackendTls tls) {
    return new ExplainingTrustManager(delegate, tls);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      String host = socket instanceof javax.net.ssl.SSLSocket ssl && ssl.getHandshakeSession() != null
          ? ssl.getHandshakeSession().getPeerHost() : null;
      throw explain(chain, e, peer(host));
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw explain(chain, e, peer(engine == null ? null : engine.getPeerHost()));
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      throw explain(chain, e, peer(null));
    }
  }

  private String peer(String host) {
    return tls.serverName().orElse(host == null ? "the backend's host" : host);
  }

  Refusal explain(X509Certificate[] chain, CertificateException e, String expectedName) {
    if (chain == null || chain.length == 0) {
      return new Refusal("the backend sent no certificate", e);
    }
    X509Certificate leaf = chain[0];
    String subject = leaf.getSubjectX500Principal().getName();
    for (X509Certificate c : chain) {
      try {
        c.checkValidity();
      } catch (CertificateExpiredException expired) {
        return new Refusal("certificate expired: " + describe(c, leaf) + " expired on " + DATE.format(c.getNotAfter().toInstant()), e);
      } catch (CertificateNotYetValidException early) {
        return new Refusal("certificate not yet valid: " + describe(c, leaf) + " is valid from " + DATE.format(c.getNotBefore().toInstant())
            + " (check the clocks)", e);
      }
    }
    String text = String.valueOf(e.getMessage());
    if (text.contains("No subject alternative") || text.contains("No name matching")) {
      List<String> names = names(leaf);
      return new Refusal("hostname mismatch: the certificate is for " + (names.isEmpty() ? subject : String.join(", ", names))
          + ", not " + expectedName + (tls.serverName().isEmpty() ? " (set spec.tls.serverName if the backend is reached by another name)" : ""), e);
    }
    if (isPathProblem(e)) {
      X509Certificate top = chain[chain.length - 1];
      String issuer = top.getIssuerX500Principal().getName();
      String where = tls.caBundle().isEmpty() ? "the default trust (add that CA with spec.tls.ca)"
          : tls.replaceDefaultTrust() ? tls.caSource() : tls.caSource() + " nor the default trust";
      return new Refusal("unknown authority: the certificate " + subject + " is issued by " + issuer
          + ", which is not in " + where, e);
    }
    return new Refusal("certificate refused: " + text, e);
  }

  private static String describe(X509Certificate c, X509Certificate leaf) {
    return c == leaf ? "the backend's certificate " + c.getSubjectX500Principal().getName()
        : "the certificate " + c.getSubjectX500Principal().getName() + " in the backend's chain";
  }

  private static boolean isPathProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
        return true;
      }
    }
    return false;
  }

  private static List<String> names(X509Certificate leaf) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> entry : alternatives) {
          if (entry.size() == 2 && (Integer.valueOf(2).equals(entry.get(0)) || Integer.valueOf(7).equals(entry.get(0)))) {
            names.add(String.valueOf(entry.get(1)));
          }
        }
      }
    } catch (CertificateParsingException ignored) {
      // fall back to the subject
    }
    return names;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    delegate.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    delegate.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
