from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class AuthorProfile(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), unique=True, nullable=False)
    books = db.relationship("Book", back_populates="author", order_by="Book.id")

    def to_dict(self):
        return {"id": self.id, "name": self.name, "books": [b.title for b in self.books]}


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    year = db.Column(db.Integer)
    author_id = db.Column(db.Integer, db.ForeignKey("author_profile.id"), nullable=False)
    author = db.relationship("AuthorProfile", back_populates="books")

    def to_dict(self):
        return {"id": self.id, "title": self.title, "year": self.year, "author": self.author.name}
