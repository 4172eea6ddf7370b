// How a type and its fields are documented for the OpenAPI documents. The
// structure (field names, JSON types, nesting) comes from the decoder's schema
// (../schema.ts); these records add what the structure cannot say: a description
// per field, enums, integer and string formats, required fields and the list
// merge keys that strategic-merge patches use (the `patchMergeKey`/`listType`
// markers of k8s.io/api/core/v1 types.go).

export interface FieldDoc {
  d: string;
  enum?: readonly string[];
  /** int32 is the default for integers; strings may be `byte` (base64) or `date-time`. */
  format?: 'int64' | 'byte' | 'date-time';
  required?: true;
  /** A list merged by this key in strategic-merge patches (`x-kubernetes-patch-merge-key`). */
  mergeKey?: string;
  /** `x-kubernetes-list-map-keys` when more than the merge key identifies an item. */
  listMapKeys?: readonly string[];
  /** A list of scalars merged as a set (`x-kubernetes-list-type: set`, patch strategy merge). */
  set?: true;
}

export interface TypeDoc {
  d: string;
  fields: Record<string, string | FieldDoc>;
}

export type TypeDocs = Record<string, TypeDoc>;

/** The fields every top-level kind shares (metav1.TypeMeta, inlined). */
export const TYPE_META_FIELDS = {
  apiVersion:
    'The versioned schema of this object, as `group/version` (`v1` for the core group). Servers convert objects to the version they store and reject versions they do not serve.',
  kind: 'The REST kind of this object, in CamelCase (`Pod`, `Secret`). Clients send it; servers derive it from the endpoint when it is missing and never let it change.',
} as const;

export const TIME = { format: 'date-time' } as const;
