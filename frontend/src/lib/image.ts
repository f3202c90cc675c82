// Shrinks a phone photo in the browser before upload: ≤ 1600 px on the long side, re-encoded as
// JPEG. Re-encoding through a canvas also drops every EXIF tag (GPS included), and decoding with
// imageOrientation 'from-image' bakes the EXIF rotation into the pixels first, so nothing is lost
// when the tag goes. Phones make 3–5 MB photos; this typically sends 200–500 kB.

export const MAX_EDGE_PX = 1600
export const JPEG_QUALITY = 0.85
/** Refuse before decoding: a file this big is not a phone photo and could exhaust a phone's memory. */
export const MAX_INPUT_BYTES = 25 * 1024 * 1024

export class PhotoError extends Error {
  override readonly name = 'PhotoError'
  constructor(readonly kind: 'tooLarge' | 'notAnImage', message: string) {
    super(message)
  }
}

export interface Size {
  width: number
  height: number
}

/** The size to draw at: the long edge capped at `maxEdge`, aspect ratio kept, never upscaled. */
export function fitWithin(size: Size, maxEdge: number = MAX_EDGE_PX): Size {
  if (!(size.width > 0 && size.height > 0)) throw new PhotoError('notAnImage', 'Empty image')
  const scale = Math.min(1, maxEdge / Math.max(size.width, size.height))
  return {
    width: Math.max(1, Math.round(size.width * scale)),
    height: Math.max(1, Math.round(size.height * scale)),
  }
}

/** Cheap checks on what the file says it is, before spending memory on decoding it. */
export function checkPhotoFile(file: Blob): void {
  if (file.size > MAX_INPUT_BYTES) {
    throw new PhotoError('tooLarge', `${file.size} bytes is over ${MAX_INPUT_BYTES}`)
  }
  // An empty type happens for some camera apps; decoding decides then.
  if (file.type !== '' && !file.type.startsWith('image/')) {
    throw new PhotoError('notAnImage', `Type ${file.type}`)
  }
}

interface Decoded {
  source: CanvasImageSource
  size: Size
  close: () => void
}

async function decode(file: Blob): Promise<Decoded> {
  if (typeof createImageBitmap === 'function') {
    try {
      const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' })
      return { source: bitmap, size: { width: bitmap.width, height: bitmap.height }, close: () => bitmap.close() }
    } catch {
      // Fall through: some browsers reject the options object; <img> honours EXIF orientation too.
    }
  }
  const url = URL.createObjectURL(file)
  try {
    const img = new Image()
    img.decoding = 'async'
    img.src = url
    await img.decode()
    return {
      source: img,
      size: { width: img.naturalWidth, height: img.naturalHeight },
      close: () => URL.revokeObjectURL(url),
    }
  } catch {
    URL.revokeObjectURL(url)
    throw new PhotoError('notAnImage', 'The browser could not decode the file')
  }
}

function canvasToJpeg(canvas: HTMLCanvasElement, quality: number): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new PhotoError('notAnImage', 'Encoding failed'))),
      'image/jpeg',
      quality,
    )
  })
}

export interface ResizedPhoto {
  blob: Blob
  width: number
  height: number
}

export async function resizePhoto(
  file: Blob,
  maxEdge: number = MAX_EDGE_PX,
  quality: number = JPEG_QUALITY,
): Promise<ResizedPhoto> {
  checkPhotoFile(file)
  const decoded = await decode(file)
  try {
    const target = fitWithin(decoded.size, maxEdge)
    const canvas = document.createElement('canvas')
    canvas.width = target.width
    canvas.height = target.height
    const context = canvas.getContext('2d')
    if (!context) throw new PhotoError('notAnImage', 'No 2D canvas')
    context.imageSmoothingEnabled = true
    context.imageSmoothingQuality = 'high'
    // White under transparent PNG pixels: JPEG has no alpha and would turn them black.
    context.fillStyle = '#fff'
    context.fillRect(0, 0, target.width, target.height)
    context.drawImage(decoded.source, 0, 0, target.width, target.height)
    const blob = await canvasToJpeg(canvas, quality)
    return { blob, ...target }
  } finally {
    decoded.close()
  }
}
