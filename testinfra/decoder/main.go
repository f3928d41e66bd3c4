// Command decoder reads a rendered manifest stream as Helm's kube client and the API server do and prints one
// JSON line per document: what Kubernetes will see. Test infrastructure for helm-vnp (tests/oracle), not shipped.
//
// Path: k8s.io/apimachinery's YAMLOrJSONDecoder (the cli-runtime StreamVisitor Helm's client.Build uses: lines
// starting with "---" split, a JSON stream is sniffed), sigs.k8s.io/yaml (go-yaml v2: YAML 1.1 scalars, merge
// keys, anchors, duplicate keys last-wins), the unstructured scheme (apiVersion/kind checks), then the typed
// k8s.io/api structs decoded case-sensitively as the API server's json serializer does (sigs.k8s.io/json).
//
// Usage:
//
//	decoder [FILE]   read FILE (stdin without it); exit 0 after reading, 1 on a read error
//	decoder --serve  streams one after another on stdin, each a 4-byte big-endian length and its bytes;
//	                 each answered by its documents' lines and an empty line
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	kjson "sigs.k8s.io/json"
)

type container struct {
	Name                     string   `json:"name"`
	Init                     bool     `json:"init,omitempty"`
	Privileged               *bool    `json:"privileged"`
	AllowPrivilegeEscalation *bool    `json:"allowPrivilegeEscalation"`
	RunAsNonRoot             *bool    `json:"runAsNonRoot"`
	RunAsUser                *int64   `json:"runAsUser"`
	CapabilitiesAdd          []string `json:"capabilitiesAdd"`
	HostPorts                []int32  `json:"hostPorts"`
}

type pod struct {
	TypedError   string            `json:"typedError,omitempty"` // the API server refuses the object
	Labels       map[string]string `json:"labels"`
	HostNetwork  bool              `json:"hostNetwork"`
	HostPID      bool              `json:"hostPID"`
	HostIPC      bool              `json:"hostIPC"`
	RunAsNonRoot *bool             `json:"runAsNonRoot"`
	HostPath     int               `json:"hostPathVolumes"`
	Containers   []container       `json:"containers"`
}

type doc struct {
	Index       int               `json:"index"`
	Error       string            `json:"error,omitempty"` // Helm refuses the whole stream at this document
	Null        bool              `json:"null,omitempty"`  // empty or null: Helm skips it
	APIVersion  string            `json:"apiVersion,omitempty"`
	Kind        string            `json:"kind,omitempty"`
	Name        string            `json:"name,omitempty"`
	Namespace   string            `json:"namespace,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
	MetaError   string            `json:"metaError,omitempty"` // metadata the API server refuses
	Pod         *pod              `json:"pod,omitempty"`       // a core pod-creating kind: its pod template
}

// podCreators: group/kind -> the typed object and how to reach its pod template.
func podTemplate(gk schema.GroupKind, raw []byte) (*corev1.PodTemplateSpec, bool, error) {
	unmarshal := func(v any) error { return kjson.UnmarshalCaseSensitivePreserveInts(raw, v) }
	switch gk {
	case schema.GroupKind{Kind: "Pod"}:
		var o corev1.Pod
		err := unmarshal(&o)
		return &corev1.PodTemplateSpec{ObjectMeta: o.ObjectMeta, Spec: o.Spec}, true, err
	case schema.GroupKind{Kind: "ReplicationController"}:
		var o corev1.ReplicationController
		err := unmarshal(&o)
		return o.Spec.Template, true, err
	case schema.GroupKind{Group: "apps", Kind: "Deployment"}, schema.GroupKind{Group: "extensions", Kind: "Deployment"}:
		var o appsv1.Deployment
		err := unmarshal(&o)
		return &o.Spec.Template, true, err
	case schema.GroupKind{Group: "apps", Kind: "ReplicaSet"}, schema.GroupKind{Group: "extensions", Kind: "ReplicaSet"}:
		var o appsv1.ReplicaSet
		err := unmarshal(&o)
		return &o.Spec.Template, true, err
	case schema.GroupKind{Group: "apps", Kind: "StatefulSet"}:
		var o appsv1.StatefulSet
		err := unmarshal(&o)
		return &o.Spec.Template, true, err
	case schema.GroupKind{Group: "apps", Kind: "DaemonSet"}, schema.GroupKind{Group: "extensions", Kind: "DaemonSet"}:
		var o appsv1.DaemonSet
		err := unmarshal(&o)
		return &o.Spec.Template, true, err
	case schema.GroupKind{Group: "batch", Kind: "Job"}:
		var o batchv1.Job
		err := unmarshal(&o)
		return &o.Spec.Template, true, err
	case schema.GroupKind{Group: "batch", Kind: "CronJob"}:
		var o batchv1.CronJob
		err := unmarshal(&o)
		return &o.Spec.JobTemplate.Spec.Template, true, err
	}
	return nil, false, nil
}

func security(t *corev1.PodTemplateSpec) *pod {
	p := &pod{Labels: t.Labels, HostNetwork: t.Spec.HostNetwork, HostPID: t.Spec.HostPID, HostIPC: t.Spec.HostIPC,
		Containers: []container{}}
	if t.Spec.SecurityContext != nil {
		p.RunAsNonRoot = t.Spec.SecurityContext.RunAsNonRoot
	}
	for _, v := range t.Spec.Volumes {
		if v.HostPath != nil {
			p.HostPath++
		}
	}
	add := func(c corev1.Container, init bool) {
		out := container{Name: c.Name, Init: init, CapabilitiesAdd: []string{}, HostPorts: []int32{}}
		if s := c.SecurityContext; s != nil {
			out.Privileged, out.AllowPrivilegeEscalation = s.Privileged, s.AllowPrivilegeEscalation
			out.RunAsNonRoot, out.RunAsUser = s.RunAsNonRoot, s.RunAsUser
			if s.Capabilities != nil {
				for _, c := range s.Capabilities.Add {
					out.CapabilitiesAdd = append(out.CapabilitiesAdd, string(c))
				}
			}
		}
		for _, port := range c.Ports {
			if port.HostPort != 0 {
				out.HostPorts = append(out.HostPorts, port.HostPort)
			}
		}
		p.Containers = append(p.Containers, out)
	}
	for _, c := range t.Spec.InitContainers {
		add(c, true)
	}
	for _, c := range t.Spec.Containers {
		add(c, false)
	}
	return p
}

func describe(i int, raw []byte) doc {
	d := doc{Index: i}
	obj, err := runtime.Decode(unstructured.UnstructuredJSONScheme, raw)
	if err != nil { // cli-runtime's infoForData: Helm refuses the stream
		d.Error = err.Error()
		return d
	}
	u, ok := obj.(*unstructured.Unstructured)
	if !ok { // a List: Helm flattens it; the harness only needs to know it is one
		d.Kind, d.APIVersion = obj.GetObjectKind().GroupVersionKind().Kind, obj.GetObjectKind().GroupVersionKind().GroupVersion().String()
		return d
	}
	d.APIVersion, d.Kind = u.GetAPIVersion(), u.GetKind()
	var meta struct {
		Metadata struct {
			Name        string            `json:"name"`
			Namespace   string            `json:"namespace"`
			Labels      map[string]string `json:"labels"`
			Annotations map[string]string `json:"annotations"`
		} `json:"metadata"`
	}
	if err := kjson.UnmarshalCaseSensitivePreserveInts(raw, &meta); err != nil {
		d.MetaError = err.Error()
	}
	m := meta.Metadata
	d.Name, d.Namespace, d.Labels, d.Annotations = m.Name, m.Namespace, m.Labels, m.Annotations
	gv, err := schema.ParseGroupVersion(d.APIVersion)
	if err != nil {
		return d
	}
	t, creates, err := podTemplate(schema.GroupKind{Group: gv.Group, Kind: d.Kind}, raw)
	if creates {
		if t == nil { // ReplicationController without a template
			t = &corev1.PodTemplateSpec{}
		}
		d.Pod = security(t)
		if err != nil {
			d.Pod.TypedError = err.Error()
		}
	}
	return d
}

// serve decodes streams one after another: each is a 4-byte big-endian length and that many bytes on stdin;
// its documents' lines follow on stdout, then an empty line (fuzzing runs thousands of streams a minute).
func serve() {
	in, out := bufio.NewReader(os.Stdin), bufio.NewWriter(os.Stdout)
	var size [4]byte
	for {
		if _, err := io.ReadFull(in, size[:]); err != nil {
			return
		}
		data := make([]byte, binary.BigEndian.Uint32(size[:]))
		if _, err := io.ReadFull(in, data); err != nil {
			return
		}
		decodeStream(data, out)
		out.WriteString("\n")
		out.Flush()
	}
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--serve" {
		serve()
		return
	}
	var in io.Reader = os.Stdin
	if len(os.Args) > 1 {
		f, err := os.Open(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		in = f
	}
	data, err := io.ReadAll(in)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	decodeStream(data, w)
}

func decodeStream(data []byte, w io.Writer) {
	enc := json.NewEncoder(w)
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096) // the size cli-runtime uses
	for i := 0; ; i++ {
		ext := runtime.RawExtension{}
		if err := dec.Decode(&ext); err != nil {
			if err != io.EOF {
				_ = enc.Encode(doc{Index: i, Error: err.Error()}) // StreamVisitor stops here: so do we
			}
			return
		}
		raw := bytes.TrimSpace(ext.Raw)
		if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
			_ = enc.Encode(doc{Index: i, Null: true})
			continue
		}
		_ = enc.Encode(describe(i, raw))
	}
}
