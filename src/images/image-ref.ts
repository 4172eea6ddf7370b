// The kubelet's image-name defaulting (pkg/kubelet/images/image_manager.go,
// applyDefaultImageTag) on top of the reference grammar in util.
import { parseImageRef, type ImageRef } from '../util/image-reference.js';

export { isValidImageRef, parseImageRef, type ImageRef } from '../util/image-reference.js';

/** What the kubelet pulls: `:latest` appended when there is neither tag nor digest. */
export function withDefaultTag(image: string): string {
  let ref: ImageRef;
  try {
    ref = parseImageRef(image);
  } catch {
    return image;
  }
  return ref.tag === undefined && ref.digest === undefined ? `${image}:latest` : image;
}
