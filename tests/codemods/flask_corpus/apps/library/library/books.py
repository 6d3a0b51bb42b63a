from flask import Blueprint, abort, jsonify, request

from library.models import AuthorProfile, Book, db

bp = Blueprint("books", __name__, url_prefix="/api")


@bp.get("/authors")
def list_authors():
    return jsonify([a.to_dict() for a in AuthorProfile.query.order_by(AuthorProfile.name).all()])


@bp.post("/authors")
def create_author():
    data = request.get_json()
    if not data or not data.get("name"):
        abort(400)
    author = AuthorProfile(name=data["name"])
    db.session.add(author)
    db.session.commit()
    return jsonify(author.to_dict()), 201


@bp.get("/authors/<name>")
def author_by_name(name):
    author = AuthorProfile.query.filter_by(name=name).first_or_404()
    return jsonify(author.to_dict())


@bp.get("/books")
def list_books():
    page = request.args.get("page", 1, type=int)
    found = Book.query.order_by(Book.id).paginate(page=page, per_page=2, error_out=True)
    return jsonify({"items": [b.to_dict() for b in found.items], "total": found.total, "pages": found.pages, "next": found.next_num})


@bp.post("/books")
def create_book():
    data = request.get_json()
    author = db.get_or_404(AuthorProfile, data["author_id"])
    book = Book(title=data["title"], year=data.get("year"), author=author)
    db.session.add(book)
    db.session.commit()
    return jsonify(book.to_dict()), 201


@bp.get("/books/<int:book_id>")
def get_book(book_id):
    return jsonify(Book.query.get_or_404(book_id).to_dict())


@bp.delete("/books/<int:book_id>")
def delete_book(book_id):
    book = Book.query.get_or_404(book_id)
    db.session.delete(book)
    db.session.commit()
    return "", 204


@bp.get("/stats")
def stats():
    first = Book.query.order_by(Book.year).first()
    return jsonify({"books": Book.query.count(), "authors": db.session.query(AuthorProfile).count(), "oldest": first.title if first else None})
