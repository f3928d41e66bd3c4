// Command cluster runs a small Kubernetes control plane for helm-vnp's tests, in one process on
// 127.0.0.1: an embedded etcd, kube-apiserver and kube-controller-manager (from k8s.io/kubernetes,
// the same code as the released binaries).  No scheduler and no kubelet: pods are admitted
// (validation, PodSecurity, LimitRanger, ResourceQuota) and then stay Pending, which is all the
// tests need.  Test infrastructure only: the product stays pure Python.
//
//	cluster -dir DIR [-port N]
//
// DIR gets generated certificates (a CA, the serving certificate, an admin client certificate, the
// service-account key), etcd's data, a log, and DIR/kubeconfig, written last, once the API server
// is ready and the controllers run (the "default" service account exists).  SIGTERM or SIGINT
// stops the API server cleanly, then etcd.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"
	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	kcm "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	kcmoptions "k8s.io/kubernetes/cmd/kube-controller-manager/app/options"
)

// the controllers the tests rely on: workloads create pods (a refusal is a FailedCreate event), the
// quota controller computes usage, namespaces and service accounts work, uninstall garbage-collects.
var controllers = []string{
	"deployment-controller", "replicaset-controller", "statefulset-controller", "daemonset-controller",
	"job-controller", "cronjob-controller", "resourcequota-controller", "namespace-controller",
	"serviceaccount-controller", "serviceaccount-token-controller", "garbage-collector-controller",
	"root-ca-certificate-publisher-controller",
}

func main() {
	dir := flag.String("dir", "", "state directory (certificates, etcd data, kubeconfig)")
	port := flag.Int("port", 0, "API server port on 127.0.0.1 (0: a free one)")
	flag.Parse()
	if *dir == "" {
		fail("-dir is required")
	}
	abs, err := filepath.Abs(*dir)
	check(err)
	must(os.MkdirAll(abs, 0o700))
	p := func(name string) string { return filepath.Join(abs, name) }
	os.Remove(p("kubeconfig")) // its presence means ready

	apiPort := *port
	if apiPort == 0 {
		apiPort = freePort()
	}
	etcdClient, etcdPeer := freePort(), freePort()
	server := fmt.Sprintf("https://127.0.0.1:%d", apiPort)

	must(writeCerts(abs))

	cfg := embed.NewConfig()
	cfg.Name = "vnp"
	cfg.Dir = p("etcd")
	cfg.LogLevel = "error"
	cfg.LogOutputs = []string{p("etcd.log")}
	cu, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", etcdClient))
	pu, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", etcdPeer))
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{*cu}, []url.URL{*cu}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{*pu}, []url.URL{*pu}
	cfg.InitialCluster = "vnp=" + pu.String()
	etcd, err := embed.StartEtcd(cfg)
	check(err)
	select {
	case <-etcd.Server.ReadyNotify():
	case <-time.After(60 * time.Second):
		fail("etcd did not become ready in 60s")
	}

	admin := p("admin.kubeconfig")
	must(os.WriteFile(admin, []byte(kubeconfig(server, abs)), 0o600))

	// kube-apiserver through its own command (flags as a user passes them); it owns the signal
	// handler: SIGTERM ends its Execute after a clean shutdown.
	api := apiserver.NewAPIServerCommand()
	api.SetArgs([]string{
		"--etcd-servers=" + cu.String(),
		"--bind-address=127.0.0.1", fmt.Sprintf("--secure-port=%d", apiPort), "--advertise-address=127.0.0.1",
		"--endpoint-reconciler-type=none", // a loopback address is no valid endpoint for the kubernetes service
		"--cert-dir=" + p("apiserver"),
		"--tls-cert-file=" + p("serving.crt"), "--tls-private-key-file=" + p("serving.key"),
		"--client-ca-file=" + p("ca.crt"),
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + p("sa.pub"), "--service-account-signing-key-file=" + p("sa.key"),
		"--service-cluster-ip-range=10.96.0.0/16",
		"--authorization-mode=RBAC",
		"--allow-privileged=true", // as kubeadm and managed clusters run it: Pod Security decides, not this flag
		"--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,ResourceQuota,PodSecurity",
		"--v=0",
	})
	apiDone := make(chan int, 1)
	go func() { apiDone <- cli.Run(api) }()

	if err := waitReady(server, abs, apiDone); err != nil {
		fail(err.Error())
	}

	// kube-controller-manager through its options (its command would install a second signal handler)
	go func() {
		s, err := kcmoptions.NewKubeControllerManagerOptions()
		check(err)
		fss := s.Flags(kcm.KnownControllers(), kcm.ControllersDisabledByDefault(), kcm.ControllerAliases())
		s.ParsedFlags = &fss
		fs := pflag.NewFlagSet("kube-controller-manager", pflag.ContinueOnError)
		for _, f := range fss.FlagSets {
			fs.AddFlagSet(f)
		}
		check(fs.Parse([]string{
			"--kubeconfig=" + admin, "--leader-elect=false", "--secure-port=0",
			"--controllers=" + strings.Join(controllers, ","),
			"--service-account-private-key-file=" + p("sa.key"), "--root-ca-file=" + p("ca.crt"),
			"--use-service-account-credentials=false",
		}))
		c, err := s.Config(context.Background(), kcm.KnownControllers(), kcm.ControllersDisabledByDefault(), kcm.ControllerAliases())
		check(err)
		check(kcm.Run(context.Background(), c.Complete()))
	}()

	if err := waitServiceAccount(server, abs, apiDone); err != nil {
		fail(err.Error())
	}
	must(os.Rename(admin, p("kubeconfig")))
	fmt.Printf("ready: %s (KUBECONFIG=%s)\n", server, p("kubeconfig"))

	// SIGTERM/SIGINT: kube-apiserver's own handler shuts it down (it drains requests and stops listening
	// at once, but its Run may not return for a long while); the controllers stop with the process.
	// Then etcd is closed.  Bounded: 30s for the API server, 10s for etcd.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	code := 0
	select {
	case code = <-apiDone:
		fmt.Fprintln(os.Stderr, "cluster: kube-apiserver exited", code)
	case <-sig:
		fmt.Fprintln(os.Stderr, "cluster: stopping")
		stopped := time.Now()
		for {
			select {
			case code = <-apiDone:
			case <-time.After(100 * time.Millisecond):
				if time.Since(stopped) < 3*time.Second || listening(apiPort) {
					if time.Since(stopped) < 30*time.Second {
						continue
					}
					fmt.Fprintln(os.Stderr, "cluster: kube-apiserver did not stop within 30s")
					code = 1
				}
			}
			break
		}
	}
	os.Remove(p("kubeconfig"))
	closed := make(chan struct{})
	go func() { etcd.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		fmt.Fprintln(os.Stderr, "cluster: etcd did not stop within 10s")
	}
	fmt.Fprintln(os.Stderr, "cluster: stopped")
	os.Exit(code)
}

func client(dir string) *http.Client {
	ca, err := os.ReadFile(filepath.Join(dir, "ca.crt"))
	check(err)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	pair, err := tls.LoadX509KeyPair(filepath.Join(dir, "admin.crt"), filepath.Join(dir, "admin.key"))
	check(err)
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{pair}}}}
}

func poll(what string, limit time.Duration, apiDone chan int, ok func() bool) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case code := <-apiDone:
			return fmt.Errorf("kube-apiserver exited (%d) before %s", code, what)
		default:
		}
		if ok() {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("%s: not within %s", what, limit)
}

func get(c *http.Client, u string) bool {
	resp, err := c.Get(u)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == 200
}

func waitReady(server, dir string, apiDone chan int) error {
	c := client(dir)
	return poll("API server ready (/readyz)", 5*time.Minute, apiDone, func() bool { return get(c, server+"/readyz") })
}

func waitServiceAccount(server, dir string, apiDone chan int) error {
	c := client(dir)
	return poll("controllers running (service account default/default)", 5*time.Minute, apiDone, func() bool {
		return get(c, server+"/api/v1/namespaces/default/serviceaccounts/default")
	})
}

func kubeconfig(server, dir string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: vnp
  cluster:
    server: %s
    certificate-authority: %s
users:
- name: admin
  user:
    client-certificate: %s
    client-key: %s
contexts:
- name: vnp
  context:
    cluster: vnp
    user: admin
    namespace: default
current-context: vnp
`, server, filepath.Join(dir, "ca.crt"), filepath.Join(dir, "admin.crt"), filepath.Join(dir, "admin.key"))
}

// writeCerts makes a CA, a serving certificate for 127.0.0.1, an admin client certificate
// (group system:masters) and the service-account signing key, unless they exist.
func writeCerts(dir string) error {
	p := func(name string) string { return filepath.Join(dir, name) }
	if _, err := os.Stat(p("sa.pub")); err == nil {
		return nil
	}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	now := time.Now().Add(-time.Hour)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "vnp-test-ca"},
		NotBefore: now, NotAfter: now.Add(10 * 365 * 24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	ca, _ := x509.ParseCertificate(caDER)
	issue := func(name string, serial int64, tmpl *x509.Certificate) error {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return err
		}
		tmpl.SerialNumber, tmpl.NotBefore, tmpl.NotAfter = big.NewInt(serial), now, now.Add(10*365*24*time.Hour)
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			return err
		}
		if err := writePEM(p(name+".crt"), "CERTIFICATE", der); err != nil {
			return err
		}
		kb, _ := x509.MarshalECPrivateKey(key)
		return writePEM(p(name+".key"), "EC PRIVATE KEY", kb)
	}
	if err := writePEM(p("ca.crt"), "CERTIFICATE", caDER); err != nil {
		return err
	}
	if err := issue("serving", 2, &x509.Certificate{Subject: pkix.Name{CommonName: "kube-apiserver"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("10.96.0.1")}}); err != nil {
		return err
	}
	if err := issue("admin", 3, &x509.Certificate{Subject: pkix.Name{CommonName: "vnp-admin", Organization: []string{"system:masters"}},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
		return err
	}
	sa, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	if err := writePEM(p("sa.key"), "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(sa)); err != nil {
		return err
	}
	pub, _ := x509.MarshalPKIXPublicKey(&sa.PublicKey)
	return writePEM(p("sa.pub"), "PUBLIC KEY", pub)
}

func writePEM(path, kind string, der []byte) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600)
}

func listening(port int) bool {
	c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func must(err error) { check(err) }

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "cluster:", msg)
	os.Exit(1)
}
