"""Photos uploaded on the property pages (renovation progress, repairs, handover items): checked by Pillow, not by
their name, and saved as Wagtail images."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from wagtail.images import get_image_model

PHOTO_MAX_BYTES = 8 * 1024 * 1024


def picture_clean(upload, *, formats: dict[str, str], refusal: str):
    """The upload if it opens as a picture in one of ``formats`` (Pillow format → file suffix) and is at most
    8 MB; None if there is none. ``refusal`` names the formats accepted. The upload is marked with its
    suffix for picture_save."""
    if not upload:
        return None
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(_("The photo is larger than 8 MB."))
    try:
        upload.seek(0)
        with PILImage.open(upload) as picture:
            picture.verify()
            image_format = picture.format
    except Exception as error:  # Pillow raises many kinds on a file that is not a picture
        raise ValidationError(_("This file is not a picture.")) from error
    finally:
        upload.seek(0)
    if image_format not in formats:
        raise ValidationError(refusal)
    upload.picture_suffix = formats[image_format]
    return upload


def picture_save(upload, *, stem: str, title: str, user, description: str = ""):
    """A Wagtail image from an upload checked by picture_clean (call it inside the transaction of the record that
    cites it). The file is renamed ``<stem>.<suffix>``: a phone's own file name can say more than it should."""
    upload.name = f"{stem}.{upload.picture_suffix}"
    image = get_image_model()(title=title[:255], file=upload, uploaded_by_user=user)
    if hasattr(image, "description"):
        image.description = (description or title)[:255]
    image.save()
    return image
